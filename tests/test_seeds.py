"""Raw seed pages in, question sets out: asserted field by field."""

from __future__ import annotations

import re
import unicodedata

from conftest import questions

S000 = "000_582ef3be546073bd.txt"
S001 = "001_e6371b6f30c79e48.txt"
S002 = "002_d6a70402e76c7f1e.txt"
S003 = "003_b30d6964a8366597.txt"
S004 = "004_9b367ef1490fc05b.txt"

CHROME = ["原创力文档", "book118", "VIP文档", "VIP会员", "文档评论", "实名认证", "文档贡献者", "该用户很懒", "相关文档", "查看更多",
          "NUMPAGES", "+关注", "400-050-0827", "二次下载", ".docx", "本文档由用户"]


def blob(qset: dict) -> str:
    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for x in v.values():
                yield from strings(x)
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)
    keep = {k: v for k, v in qset.items() if k != "source"}
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(strings(keep))))


def test_every_seed_is_published(seed_run):
    _out, sets = seed_run
    assert sorted(sets) == [S000, S001, S002, S003, S004]


def test_no_site_chrome_left_in_any_set(seed_run):
    _, sets = seed_run
    for name, qset in sets.items():
        text = blob(qset)
        for chrome in CHROME:
            assert chrome not in text, (name, chrome)


def test_000_sections_scores_and_truncation(seed_run):
    qset = seed_run[1][S000]
    assert qset["title"] == "2026年国际客户服务经理面试题集"
    assert qset["truncated"] is True
    sections = qset["sections"]
    assert [s["heading"] for s in sections] == ["一、情景模拟题(共5题,每题8分)", "二、行为面试题(共10题,每题7分)",
                                                "三、专业知识题(共8题,每题6分)"]
    assert [(s["count_declared"], s["score_each"], s["score_total"]) for s in sections] == [(5, 8, None), (10, 7, None), (8, 6, None)]
    assert [len(s["questions"]) for s in sections] == [5, 10, 6]
    for section, score in zip(sections, (8, 7, 6), strict=True):
        assert [q["number"] for q in section["questions"]] == [str(i) for i in range(1, len(section["questions"]) + 1)]
        assert {q["score"] for q in section["questions"]} == {score}
    first = sections[0]["questions"][0]
    assert first["label"] == "题目1"
    assert first["stem"].startswith("情景:您是某跨国科技公司")
    assert "(8分)" not in first["stem"]
    assert first["sub_items"][0] == "要求:"
    assert first["sub_items"][1:] == ["1.请描述您会如何处理这个紧急情况的第一小时。", "2.您会采取哪些沟通策略来安抚客户情绪?",
                                      "3.您会如何组织内部资源解决技术问题?", "4.对于赔偿要求,您会如何回应?",
                                      "5.如果客户不接受解决方案,您会采取什么后续措施?"]
    assert all(q["answer"] is None for q in questions(qset))
    last = sections[2]["questions"][-1]
    assert last["stem"] == "分析社交媒体在国际"
    assert any(w.startswith("count_mismatch:") and "8" in w and "6" in w for w in qset["warnings"])


def test_001_answers_come_from_the_answer_part(seed_run):
    qset = seed_run[1][S001]
    sections = qset["sections"]
    assert len(sections) == 4
    assert [(s["score_each"], s["count_declared"]) for s in sections] == [(10, 4), (15, 2), (20, 2), (12, 3)]
    assert [len(s["questions"]) for s in sections] == [4, 2, 2, 3]
    for q in sections[0]["questions"] + sections[1]["questions"]:
        assert q["answer"], q["number"]
        assert q["answer_source"] == "answer_part"
        assert q["analysis"]
    assert sections[0]["questions"][0]["answer"].startswith("一次,某客户因订单长时间未到")
    assert sections[0]["questions"][3]["answer"].startswith("-文化敏感度")
    assert sections[2]["questions"][0]["answer"].startswith("-客服口径")
    assert sections[2]["questions"][1]["answer"] is None
    assert all(q["answer"] is None for q in sections[3]["questions"])
    assert {q["score"] for q in sections[3]["questions"]} == {12}
    assert qset["truncated"] is True


def test_002_chinese_numbered_questions_with_answer_and_analysis(seed_run):
    qset = seed_run[1][S002]
    assert qset["title"] == "客服人员面试题题库详解"
    (section,) = qset["sections"]
    assert section["heading"] == "面试问答题(共20题)" and section["count_declared"] == 20
    first, second = section["questions"]
    assert (first["label"], first["number"], second["label"], second["number"]) == ("第一题", "1", "第二题", "2")
    assert first["stem"].startswith("请结合你过往的经历或观察")
    assert first["answer"].startswith("一个优秀的客服人员最重要的三个素质")
    assert "考察点:" in first["answer"]
    assert first["analysis"].startswith("目的:本题旨在考察")
    assert first["scoring_points"][0] == "提出的素质是否切合客服岗位需求。"
    assert second["answer"].startswith("在一次我担任在线客服的工作中")
    assert not second["answer"].rstrip().endswith("原创力文档")
    assert qset["truncated"] is True


def test_003_q_and_star_questions(seed_run):
    qset = seed_run[1][S003]
    qs = questions(qset)
    assert qset["title"] is None and qset["truncated"] is False
    assert [q["label"] for q in qs].count("Q:") == 3
    assert [q["label"] for q in qs].count("☆") == 17
    answered = [q for q in qs if q["answer"]]
    assert [q["answer"][:8] for q in answered] == ["First of", "CRM, or ", "I’m an e"]
    assert all(q["label"] == "Q:" for q in answered)
    assert all(q["number"] is None for q in qs)
    content = [c["text"] for c in qset["content"]]
    assert len(content) == 6 and content[0].startswith("1. 抗压能力。")


def test_004_second_copy_dropped(seed_run):
    qset = seed_run[1][S004]
    qs = questions(qset)
    assert len(qs) == 5
    assert [q["number"] for q in qs] == ["1", "2", "3", "4", "5"]
    assert qs[0]["stem"] == "如何应对愤怒的客户？"
    assert all(q["answer"] for q in qs)
    assert qs[0]["answer"].startswith("如果你有过处理愤怒客户的亲身经历")
    assert qs[0]["analysis"].startswith("招聘经理会问这个问题")
    assert any(w.startswith("duplicate_copy:") for w in qset["warnings"])
    content = " ".join(c["text"] for c in qset["content"])
    for tip in ("客户服务员面试技巧", "研究公司：", "使用STAR方法", "为面试官准备问题"):
        assert tip in content
    # Only 37% of the second copy was already on the page: its own closing summary is kept.
    assert "5个常见的客户服务员面试问题关键点" in content
    assert qset["truncated"] is False


def test_every_removed_line_is_recorded_with_its_rule(seed_run):
    """Debugging the cleaner needs each removed line and the rule that removed it; the set's summary
    counts exactly those records."""
    from collections import Counter

    from pipeline.publish.files import removals_of
    from pipeline.store.storage import LocalStorage

    out, sets = seed_run
    store = LocalStorage(str(out))
    for qset in sets.values():
        debug = removals_of(store, qset["id"])
        assert {r["rule"]: r["count"] for r in qset["removed"]} == Counter(r["rule"] for r in debug)
        assert all(r["rule"] and r["text"] for r in debug)
    texts = [r["text"] for r in removals_of(store, sets[S000]["id"])]
    assert "第PAGE页共NUMPAGES页" in texts and "相关文档" in texts
