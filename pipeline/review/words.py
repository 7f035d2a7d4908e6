"""Every word the review page shows, in Chinese (the default: its editors are Chinese) and English.

One table per concept: the page's own words, the names of the findings a set carries (validation
warnings and confidence's review reasons). The page picks a language from `?lang=`, then a cookie,
then the browser's Accept-Language.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

PAGE = {
    "zh": {
        "title": "题集审阅", "sets_in": "{n} 个题集（{clean}）", "to_review": "{n} 个待审，排在最前，最可疑的在先",
        "shown": "显示 {n} 个", "col_set": "题集", "col_title": "标题", "col_source": "来源文件", "col_site": "站点",
        "col_questions": "题数", "col_findings": "发现", "col_confidence": "置信度", "col_why": "待审原因",
        "col_approved": "已批准", "search": "搜索", "search_hint": "标题、来源文件或题集编号", "any": "全部",
        "state": "状态", "state_review": "待审", "state_approved": "已批准", "state_open": "未批准",
        "min_confidence": "最低置信度", "finding": "发现", "filter": "筛选", "no_title": "（无标题）",
        "all_sets": "← 全部题集", "student": "学生版", "answers": "答案版", "approved_note": "已批准：{at}{by}",
        "by": "，批准人 {who}", "approve": "批准此题集", "unapprove": "撤销批准",
        "needs_review": "需要审阅（置信度 {c}）：{r}", "raw_page": "原始页面", "parsed": "解析结果",
        "passage": "阅读材料（下面几题共用）",
        "stem": "题干", "options": "选项（每行一个，以字母开头，如 A. 现金）", "answer": "答案", "analysis": "解析",
        "score": "分值", "drop": "删除此题", "merge": "并入上一题（一道题的题干被拆成了两题）",
        "save": "保存全部修改", "saved": "已保存。",
        "not_saved": "有 {n} 处需要修改，尚未保存；已填写的内容都保留在下面。",
        "edited": "已修改：{fields}", "raw_lines": "原文行", "confidence": "置信度 {c}",
        "no_sets": "没有符合条件的题集。", "unreadable": "已发布的 JSON 无法读取：请重新运行 ingest",
        "err_score": "分值须是数字，如 5 或 2.5", "err_options": "第 {n} 行没有选项字母：每行以字母开头，如 “A. 现金”",
        "language": "English", "language_code": "en",
    },
    "en": {
        "title": "Question-set review", "sets_in": "{n} sets in {clean}",
        "to_review": "{n} to review, listed first, most doubtful first", "shown": "{n} shown", "col_set": "set",
        "col_title": "title", "col_source": "source file", "col_site": "site", "col_questions": "questions",
        "col_findings": "findings", "col_confidence": "confidence", "col_why": "why review",
        "col_approved": "approved", "search": "Search", "search_hint": "title, source file or set id",
        "any": "any", "state": "state", "state_review": "to review", "state_approved": "approved",
        "state_open": "not approved", "min_confidence": "min. confidence", "finding": "finding", "filter": "Filter",
        "no_title": "(no title)", "all_sets": "← all sets", "student": "student edition", "answers": "answer key",
        "approved_note": "approved {at}{by}", "by": " by {who}", "approve": "Approve this set",
        "unapprove": "Withdraw approval", "needs_review": "needs review (confidence {c}): {r}",
        "raw_page": "Raw page", "parsed": "Parsed", "stem": "stem",
        "passage": "passage (the text the questions below ask about)",
        "options": "options, one a line, each starting with its letter (A. cash)", "answer": "answer",
        "analysis": "analysis", "score": "score", "drop": "drop this question",
        "merge": "merge into the question before (a stem split in two)", "save": "Save all changes",
        "saved": "Saved.", "not_saved": "{n} fields need fixing; nothing was saved, and what you typed is kept below.",
        "edited": "edited: {fields}", "raw_lines": "raw lines", "confidence": "confidence {c}",
        "no_sets": "No set matches.", "unreadable": "the published JSON cannot be read: run ingest again",
        "err_score": "a score is a number, e.g. 5 or 2.5",
        "err_options": "line {n} has no option letter: start each line with its letter, e.g. “A. cash”",
        "language": "中文", "language_code": "zh",
    },
}

# What `review.findings` finds, and validation's warning kinds shown with a set.
FINDINGS = {
    "zh": {"cut_preview": "节选（预览被截断）", "count_mismatch": "题数与声明不符", "total_mismatch": "总分与声明不符",
           "score_sum_mismatch": "各题分值之和与声明不符", "without_answers": "{n} 题无答案",
           "unmatched_answers": "有答案未对应到题目", "numbering_gap": "题号不连续", "missing_answer": "缺答案",
           "truncated": "节选（预览被截断）", "answer_unmatched": "答案未对应到题目", "correction": "修改记录",
           "unwrapped": "按固定宽度断开的行已接回"},
    "en": {"cut_preview": "cut preview", "count_mismatch": "count mismatch", "total_mismatch": "total mismatch",
           "score_sum_mismatch": "score sum mismatch", "without_answers": "{n} without answers",
           "unmatched_answers": "unmatched answers", "numbering_gap": "numbering gap",
           "missing_answer": "missing answers",
           "truncated": "cut preview", "answer_unmatched": "unmatched answer", "correction": "correction",
           "unwrapped": "lines broken at a fixed width joined"},
}

# confidence.py's review reasons
REASONS = {
    "zh": {"answers_missing": "缺答案", "options_irregular": "选项不齐", "stem_suspect": "题干可疑",
           "stem_long": "题干过长", "numbering_gap": "题号跳号", "count_mismatch": "题数不符",
           "cut_preview": "预览截断", "answer_long": "答案过长", "close_call": "题号难断", "unnumbered": "无题号",
           "chrome_suspect": "残留网站文字", "options_outside": "题外有选项"},
    "en": {},  # the codes themselves, underscores as spaces
}


def pick(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The page's language: `?lang=`, else the cookie it set, else the first of Accept-Language's
    languages the page has; Chinese when none says."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()
        for lang in LANGUAGES:
            if tag == lang or tag.startswith(lang + "-"):
                return lang
    return "zh"


def reason(text: str, lang: str) -> str:
    """'answers_missing: 5 (1 of 6)' in the page's language."""
    code, sep, rest = text.partition(": ")
    name = REASONS[lang].get(code, code.replace("_", " "))
    if lang == "zh":
        rest = rest.replace(" of ", "/")
    return f"{name}：{rest}" if sep and lang == "zh" else f"{name}: {rest}" if sep else name


def warning(text: str, lang: str) -> tuple[str, str]:
    """A validation warning as (its kind in the page's language, its details as recorded)."""
    kind, _, details = text.partition(":")
    return FINDINGS[lang].get(kind, kind.replace("_", " ")), details.strip()
