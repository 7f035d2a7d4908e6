"""Generate a benchmark corpus from the real pages in raw/, deterministic by seed.

    python -m bench.corpus OUT_DIR [--pages 10000] [--seed 7] [--html-share 0.3]

Each page reshuffles sections and questions taken from the real pages, renumbers them, changes
scores, mixes label and answer-label styles, and wraps itself in real book118 chrome (as a text
dump, or for a share of pages as an HTML page with scripts, navigation and footers). Pages are
kept between 5 and 20 KB, like the real ones.
"""

from __future__ import annotations

import argparse
import html
import random
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Rejected
from pipeline.models import Question
from pipeline.run.steps import process_page

ROOT = Path(__file__).resolve().parent.parent
CN = "一二三四五六七八九十"
LABELS = [
    lambda n: f"题目{n}({{score}}分)",
    lambda n: f"{n}.",
    lambda n: f"{n}、",
    lambda n: f"第{CN[n - 1] if n <= 10 else n}题",
    lambda n: f"第{n}题",
    lambda n: f"({n})",
]
ANSWER_LABELS = ["答案:", "参考答案:", "【答案】", "正确答案:", "示例答案:"]
HEAD = """{title}.docxVIP

{title}.docx

本文档由用户AI专业辅助创建,并经网站质量审核通过
  1. 1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权,仅供个人/单位学习、研究之用,不得用于商业用途,未经授权,严禁复制、发行、汇编、翻译或者网络传播等,侵权必究。。
  2. 2、本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性及其观点立场正确性做任何保证或承诺!文档内容仅供研究参考,付费前请自行鉴别。
  3. 3、如文档侵犯商业秘密、侵犯著作权、侵犯人身权等,请点击“版权申诉”(推荐),也可以打举报电话:400-050-0827(电话支持时间:9:00-18:30)。
  4. 4、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。
查看更多

第PAGE页共NUMPAGES页

"""
TAIL = "\n原创力文档\n\n文档评论(0)\n\n{uploader} + 关注\n实名认证\n文档贡献者\n\n该用户很懒,什么也没介绍\n\n1亿VIP精品文档\n\n相关文档"


@dataclass
class Pool:
    titles: list[str]
    headings: list[str]
    questions: list[Question]
    intros: list[str]


def load_pool(raw: Path = ROOT / "raw") -> Pool:
    titles, headings, questions, intros = [], [], [], []
    for path in sorted(raw.glob("*.txt")):
        try:
            qset = process_page(path.name, path.read_bytes()).qset
        except Rejected:
            continue
        assert qset is not None
        if qset.title:
            titles.append(qset.title)
        for section in qset.sections:
            if section.name:
                headings.append(section.name)
        questions += qset.questions()
        intros += [c.text for c in qset.content if len(c.text) > 20]
    return Pool(titles, headings or ["问答题"], questions, intros)


def render_question(rng: random.Random, q: Question, number: int, style: int, score: int) -> list[str]:
    label = LABELS[style](number).replace("{score}", str(score))
    lines = [label + ("\n" if style in (0, 3) else " ") + q.stem]
    lines += q.sub_items
    lines += [f"{o.label}.{o.text}" for o in q.options]
    if q.answer:
        lines.append(rng.choice(ANSWER_LABELS) + q.answer)
    if q.analysis:
        lines.append("解析:" + q.analysis)
    return lines


def render_page(rng: random.Random, pool: Pool, index: int) -> str:
    title = f"{rng.choice(pool.titles)}(第{index}套)"
    body: list[str] = [title]
    if pool.intros and rng.random() < 0.5:
        body.append(rng.choice(pool.intros))
    target = rng.randint(5_000, 18_000)
    size = 0
    for s in range(rng.randint(1, 4)):
        count, score, style = rng.randint(3, 10), rng.choice([2, 5, 6, 8, 10, 15]), rng.randrange(len(LABELS))
        body.append(f"{CN[s]}、{rng.choice(pool.headings)}(共{count}题,每题{score}分)")
        for n in range(1, count + 1):
            lines = render_question(rng, rng.choice(pool.questions), n, style, score)
            body += lines
            size += sum(len(x.encode()) for x in lines)
        if size > target:
            break
    uploader = f"1{rng.randint(30, 89)}****{rng.randint(1000, 9999)}"
    text = HEAD.format(title=title) + "\n\n".join(body) + TAIL.format(uploader=uploader)
    return text[:20_000]


def to_html(text: str, title: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}-原创力文档</title>"
            "<script>var cfg={view_token:'x',aid:1,actual_page:9};</script><style>p{margin:0}</style></head><body>"
            "<nav><a href='/'>首页</a> <a href='/vip'>VIP</a></nav><div class='webpreview-item'>"
            f"{paragraphs}</div><div class='related-doc-list'>相关文档</div><footer>版权所有</footer></body></html>")


def generate(out: Path, pages: int = 10_000, seed: int = 7, html_share: float = 0.3, pool: Pool | None = None) -> int:
    rng = random.Random(seed)
    pool = pool or load_pool()
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(pages):
        text = render_page(rng, pool, i)
        if rng.random() < html_share:
            data = to_html(text, text.splitlines()[0]).encode("utf-8")
            (out / f"page{i:06d}.html").write_bytes(data)
        else:
            data = text.encode("utf-8")
            (out / f"page{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--html-share", type=float, default=0.3)
    args = parser.parse_args(argv)
    total = generate(args.out, args.pages, args.seed, args.html_share)
    print(f"{args.pages} pages, {total / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
