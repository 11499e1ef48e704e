"""Fuzz every reader and the cleaner: no crash, no hang, and every refusal names its input and a reason.

    .venv/bin/python bench/fuzz.py                         # 100,000 hypothesis cases over all targets
    .venv/bin/python bench/fuzz.py --cases 3000 --json     # what CI runs (tests/test_fuzz.py)
    .venv/bin/python bench/fuzz.py --atheris 20000         # also 20,000 coverage-guided runs per target
    .venv/bin/python bench/fuzz.py --write                 # write the figures into BENCHMARKS.md

Each case is bytes written to a file with the target's suffix (or none: the kind is then sniffed) and
read the way `newsfuse ingest` reads it: `read_input`, then `clean_document` for every document read.
The outcome of a case is one of: documents (cleaned), refusals (a ReadFailure, or an InputError from the
cleaner) or a crash (any other exception, or a refusal that does not name the input or give a reason).
A case that runs past HANG_SECONDS is stopped by an alarm and counted as a hang.

Inputs come from hypothesis strategies per target: raw bytes; the project's own fixtures
(tests/fixtures) mutated byte by byte and cut short; text in any Unicode category (NUL, controls, bidi
marks, emoji) in several encodings, BOM or none; JSON values of every type in every field; feeds and
WARC archives built around fuzzed text. Nothing is read from ../shared.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
FIXTURES = ROOT / "tests" / "fixtures"
SECTION = "## Reliability"
# A case that takes longer than this is a hang. Generated inputs are at most a few hundred KB, read in
# well under a second, but the first case that reaches a library's lazily loaded data (dateparser's
# languages, htmldate) took up to 20 s on the shared machine under load: a minute is a hang, not a load.
HANG_SECONDS = 60
SLOW_SECONDS = 5
# Cases per target for a run of N: each target's share (the readers with more structure get more).
SHARES = {"text": 0.12, "sniffed": 0.10, "html": 0.10, "jsonl": 0.18, "jsonl.gz": 0.06, "feed": 0.16,
          "warc": 0.10, "clean": 0.18}
SUFFIX = {"text": ".txt", "sniffed": "", "html": ".html", "jsonl": ".jsonl", "jsonl.gz": ".jsonl.gz",
          "feed": ".rss", "warc": ".warc.gz", "clean": ".txt"}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")


class Hang(BaseException):
    """Raised by the alarm when a case runs past HANG_SECONDS (a BaseException: libraries that catch every
    Exception, as trafilatura does, must not swallow it)."""


class Tally:
    """Outcomes of the cases run so far, per target."""

    def __init__(self) -> None:
        self.cases: Counter[str] = Counter()
        self.documents: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.crashes: list[dict[str, Any]] = []
        self.hangs: list[dict[str, Any]] = []
        self.slowest: dict[str, float] = {}
        self.slow: list[dict[str, Any]] = []  # cases over SLOW_SECONDS, to look at

    def summary(self) -> dict[str, Any]:
        return {
            "cases": sum(self.cases.values()), "per_target": dict(self.cases), "documents": dict(self.documents),
            "refusals": dict(self.refusals), "crashes": len(self.crashes), "hangs": len(self.hangs),
            "slowest_s": {k: round(v, 3) for k, v in self.slowest.items()},
            "top_reasons": self.reasons.most_common(12), "first_crashes": self.crashes[:5], "first_hangs": self.hangs[:5],
            "slow": self.slow[:5],
        }


def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang()


def run_case(target: str, content: bytes, folder: Path, tally: Tally) -> None:
    """Read (and clean) one input as `newsfuse ingest` would; record what happened."""
    from newsfuse.clean import clean_document
    from newsfuse.errors import InputError
    from newsfuse.ingest import ReadOptions, read_input
    from newsfuse.models import ReadFailure

    path = folder / f"case{tally.cases[target]}{SUFFIX[target]}"
    path.write_bytes(content)
    location = str(path)
    tally.cases[target] += 1
    started = time.perf_counter()
    signal.alarm(HANG_SECONDS)
    try:
        for item in read_input(location, ReadOptions(max_file_bytes=10_000_000)):
            if isinstance(item, ReadFailure):
                _refusal(tally, target, location, item.location, item.reason, content)
                continue
            try:
                cleaned = clean_document(item).article
            except InputError as exc:
                _refusal(tally, target, location, exc.location, exc.reason, content)
                continue
            _check_article(cleaned, tally, target, content)
            tally.documents[target] += 1
    except Hang:
        tally.hangs.append({"target": target, "input": content[:300].hex(), "size": len(content)})
    except Exception as exc:  # a crash: what the bench exists to find
        tally.crashes.append({"target": target, "error": f"{type(exc).__name__}: {exc}"[:300],
                              "trace": traceback.format_exc()[-1500:], "input": content[:600].hex(), "size": len(content)})
    finally:
        signal.alarm(0)
        took = time.perf_counter() - started
        tally.slowest[target] = max(tally.slowest.get(target, 0.0), took)
        if took > SLOW_SECONDS and tally.cases[target] > 1:  # the first case of a target loads its libraries
            tally.slow.append({"target": target, "seconds": round(took, 1), "size": len(content),
                               "input": content[:2000].hex()})
        path.unlink(missing_ok=True)


def _refusal(tally: Tally, target: str, location: str, named: str, reason: str, content: bytes) -> None:
    """A refusal must name the input (its path, or a line / entry / offset within it) and give a reason."""
    if not named.startswith(location) or not reason.strip():
        tally.crashes.append({"target": target, "error": f"refusal without input or reason: {named!r}: {reason!r}",
                              "trace": "", "input": content[:600].hex(), "size": len(content)})
        return
    tally.refusals[target] += 1
    tally.reasons[_reason_kind(reason)] += 1


def _reason_kind(reason: str) -> str:
    """A refusal's reason without the numbers and names that differ per case, to count the kinds."""
    import re

    kind = re.sub(r"'[^']*'|\"[^\"]*\"|\([^)]*\)", "…", reason.split(":")[0])
    return re.sub(r"\d[\d,.]*", "N", kind)[:80]


def _check_article(article: Any, tally: Tally, target: str, content: bytes) -> None:
    """What a stored article must hold: text = paragraphs joined, no control characters, a title; text
    unless it is a headline-only article (a feed entry or JSON line with a title and no body), whose title
    must then hold words."""
    problems = []
    if article.text != "\n\n".join(article.paragraphs):
        problems.append("text is not its paragraphs joined")
    stored = [article.title, article.text, article.outlet or "", article.url or "", article.author or ""]
    if any(c in field for field in stored for c in "\x00\x1b\x7f"):
        problems.append("a control character was stored")
    if not article.text.strip() and not article.headline_only:
        problems.append("empty text stored")
    if article.headline_only and not article.title.strip():
        problems.append("a headline-only article without a headline")
    if problems:
        tally.crashes.append({"target": target, "error": "; ".join(problems), "trace": "",
                              "input": content[:600].hex(), "size": len(content)})


# ---------------------------------------------------------------- inputs

def fixture_bytes(pattern: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(FIXTURES.glob(pattern))]


def strategies() -> dict[str, Any]:
    """One hypothesis strategy of input bytes per target."""
    from hypothesis import strategies as st

    unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=3000)
    # Text that looks like news, with hostile characters mixed in, so the cleaner's rules get exercised.
    words = st.sampled_from(["The", "council", "said", "on", "Tuesday", "ferry", "\u201cWe", "lost\u201d", "AP", "—",
                             "Reuters", "By", "Jane", "Doe", "Updated:", "2025-03-12", "\x00", "\x1b[31m", "\u202e",
                             "[/y]", "<script>", "&amp;", "\ufeff", "\u200b", "Photo:", "Read", "more", "©", "\r\n",
                             "\n\n", "NAYPYIDAW,", "August", "3.", "/TASS/.", "ÉLYSÉE", "漢字", "😀", "date"])
    newsy = st.lists(words, max_size=400).map(" ".join)
    text = st.one_of(unicode_text, newsy)

    def encoded(strategy: Any) -> Any:
        return st.tuples(strategy, st.sampled_from(ENCODINGS)).map(lambda te: te[0].encode(te[1], errors="replace"))

    mutations = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "cut"]), st.floats(0, 1),
                                   st.binary(max_size=40)), max_size=8)

    def mutated(pattern: str) -> Any:
        return st.tuples(st.sampled_from(fixture_bytes(pattern)), mutations).map(lambda fm: mutate(*fm))

    json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                              max_leaves=12)
    fields = st.sampled_from(["id", "title", "text", "published", "outlet", "url", "body", "date"])
    record = st.dictionaries(fields, st.one_of(text, json_value), max_size=7)
    jsonl_lines = st.lists(st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "replace")),
                                     st.binary(max_size=200), encoded(text)), max_size=8).map(b"\n".join)
    jsonl = st.one_of(jsonl_lines, mutated("jsonl/*.jsonl"), st.binary(max_size=2000))
    feed = st.one_of(st.builds(rss, text, text, text, st.sampled_from(["rss", "atom"]), st.floats(0, 1)),
                     mutated("feeds/*"), st.binary(max_size=2000))
    html = st.one_of(st.builds(page, text, text, text), mutated("html/*.html"), encoded(text))
    warc = st.one_of(st.builds(warc_of, st.lists(html, min_size=1, max_size=3), st.floats(0, 1)),
                     st.binary(max_size=2000))
    sniffed = st.one_of(jsonl, feed, html, st.binary(max_size=2000), encoded(text), warc,
                        st.binary(max_size=1000).map(gzip.compress))
    seed_format = st.tuples(st.sampled_from(["", "date 2022-08-03 ", "date 9999-99-99 ", "date "]), text, text)
    return {
        "text": st.one_of(encoded(seed_format.map(lambda h: f"{h[0]}{h[1]}\n{h[2]}")), st.binary(max_size=3000)),
        "sniffed": sniffed, "html": html, "jsonl": jsonl,
        "jsonl.gz": st.one_of(jsonl.map(gzip.compress), st.tuples(jsonl.map(gzip.compress), st.floats(0, 1)).map(
            lambda cf: cf[0][: max(1, int(len(cf[0]) * cf[1]))])),
        "feed": feed, "warc": warc,
        "clean": encoded(st.tuples(text, text).map(lambda tt: f"{tt[0]}\n\n{tt[1]}")),
    }


def mutate(content: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    """The fixture with bytes inserted, deleted or replaced at the given fractions of its length, or cut."""
    data = bytearray(content)
    for operation, where, chunk in mutations:
        at = int(where * len(data))
        if operation == "insert":
            data[at:at] = chunk
        elif operation == "delete":
            del data[at:at + len(chunk) + 1]
        elif operation == "replace":
            data[at:at + len(chunk)] = chunk
        else:
            del data[at:]
    return bytes(data)


def rss(title: str, description: str, body: str, flavour: str, cut: float) -> bytes:
    """A feed around fuzzed text (escaped as XML would need, or not, as scrapers leave it), maybe cut short."""
    if flavour == "rss":
        xml = (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
               f"<channel><title>{title}</title><item><title>{title}</title><link>https://x.example/1</link>"
               f"<description>{description}</description><content:encoded><![CDATA[{body}]]></content:encoded>"
               f"<pubDate>{description[:30]}</pubDate></item><item><title>{description}</title><description>"
               f"{body}</description></item></channel></rss>")
    else:
        xml = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
               f"<entry><title>{title}</title><id>{description[:20]}</id><content type=\"html\">{body}</content>"
               f"<updated>{title[:25]}</updated></entry></feed>")
    data = xml.encode("utf-8", errors="replace")
    return data[: max(1, int(len(data) * cut))] if cut < 0.9 else data


def page(title: str, byline: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p)
    return (f"<!DOCTYPE html><html><head><title>{title}</title><meta property=\"og:site_name\" content=\"{byline}\">"
            f"</head><body><article><h1>{title}</h1><p class=\"byline\">{byline}</p>{paragraphs}</article></body></html>"
            ).encode("utf-8", errors="replace")


def warc_of(pages: list[bytes], cut: float) -> bytes:
    """A gzipped WARC of HTML responses (warcio writes it), maybe cut short."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, body in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://x.example/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    data = out.getvalue()
    return data[: max(1, int(len(data) * cut))] if cut < 0.8 else data


# ---------------------------------------------------------------- runs

def warm_up(folder: Path) -> None:
    """Read and clean every fixture once, so that libraries load their data before the timed cases."""
    tally = Tally()
    for target, pattern in (("html", "html/*.html"), ("feed", "feeds/*"), ("jsonl", "jsonl/*.jsonl")):
        for content in fixture_bytes(pattern):
            run_case(target, content, folder, tally)


def run_hypothesis(total: int, tally: Tally, seed: int) -> None:
    per_target = {target: max(1, int(total * share)) for target, share in SHARES.items()}
    found = strategies()
    with tempfile.TemporaryDirectory(prefix="newsfuse-fuzz-") as tmp:
        folder = Path(tmp)
        warm_up(folder)
        for target, count in per_target.items():
            started = time.perf_counter()
            fuzz_target(target, found[target], count, seed, folder, tally)
            print(f"{target}: {tally.cases[target]:,} cases in {time.perf_counter() - started:.0f} s, "
                  f"{tally.crashes and len([c for c in tally.crashes if c['target'] == target]) or 0} crashes",
                  file=sys.stderr, flush=True)


def fuzz_target(target: str, strategy: Any, count: int, seed: int, folder: Path, tally: Tally) -> None:
    """`count` hypothesis cases of one target (generation only: outcomes are recorded, never raised)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    @fixed_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(content: bytes) -> None:
        run_case(target, content, folder, tally)

    one()


def atheris_main(target: str, runs: int, out: Path) -> None:
    """One target under atheris (coverage-guided): runs in its own process, writes its tally to `out`."""
    import atheris

    with atheris.instrument_imports(include=["newsfuse"]):
        import newsfuse.clean  # noqa: F401
        import newsfuse.ingest  # noqa: F401
    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="newsfuse-atheris-"))

    def one(data: bytes) -> None:
        run_case(target, data, folder, tally)
        if tally.cases[target] % 500 == 0 or tally.cases[target] >= runs:
            out.write_text(json.dumps(tally.summary()))

    atheris.Setup([sys.argv[0], f"-runs={runs}", "-max_len=8192", f"-timeout={HANG_SECONDS * 2}",
                   "-rss_limit_mb=4096", *[str(p) for p in _corpus(target, folder)]], one)
    atheris.Fuzz()


def _corpus(target: str, folder: Path) -> list[Path]:
    """A seed corpus folder for atheris: the project's fixtures of the target's kind."""
    pattern = {"html": "html/*.html", "feed": "feeds/*", "jsonl": "jsonl/*.jsonl"}.get(target)
    if pattern is None:
        return []
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    for i, content in enumerate(fixture_bytes(pattern)):
        (corpus / f"seed{i}").write_bytes(content)
    return [corpus]


def run_atheris(runs: int) -> dict[str, Any]:
    results = {}
    for target in ("text", "html", "jsonl", "feed", "warc", "sniffed"):
        out = Path(tempfile.mkstemp(prefix=f"atheris-{target}-", suffix=".json")[1])
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--atheris-target", target, "--atheris", str(runs), "--out", str(out)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        data = json.loads(out.read_text() or "{}") if out.exists() else {}
        data["seconds"] = round(time.perf_counter() - started)
        results[target] = data
        out.unlink(missing_ok=True)
        print(f"atheris {target}: {data.get('cases', 0):,} runs, {data.get('crashes')} crashes, {data.get('hangs')} hangs",
              file=sys.stderr, flush=True)
    return results


def markdown(summary: dict[str, Any], seconds: float, atheris: dict[str, Any] | None, command: str) -> str:
    rows = ["| target | cases | documents cleaned | refusals | crashes | hangs | slowest case (s) |", "|---|---|---|---|---|---|---|"]
    for target in SHARES:
        rows.append(f"| {target} | {summary['per_target'].get(target, 0):,} | {summary['documents'].get(target, 0):,} | "
                    f"{summary['refusals'].get(target, 0):,} | "
                    f"{len([c for c in summary['first_crashes'] if c['target'] == target]) if summary['crashes'] else 0} | "
                    f"{len([h for h in summary['first_hangs'] if h['target'] == target]) if summary['hangs'] else 0} | "
                    f"{summary['slowest_s'].get(target, 0):.2f} |")
    rows.append(f"| **all** | **{summary['cases']:,}** | {sum(summary['documents'].values()):,} | "
                f"{sum(summary['refusals'].values()):,} | **{summary['crashes']}** | **{summary['hangs']}** | |")
    text = (f"### Fuzzing\n\n`{command}` ({seconds / 60:.0f} min on one core of a shared 2-core machine): hypothesis "
            f"cases through `read_input` and `clean_document`, every refusal checked to name its input and a reason, "
            f"every stored article checked (text = paragraphs, no control character).\n\n" + "\n".join(rows))
    text += "\n\nMost frequent refusals (numbers and names elided): " + "; ".join(
        f"{reason} ({count:,})" for reason, count in summary["top_reasons"][:8]) + "."
    if atheris:
        text += ("\n\natheris (coverage-guided, newsfuse's ingest and clean modules instrumented, the fixtures as seed "
                 "corpus): " + "; ".join(f"{t} {d.get('cases', 0):,} runs, {d.get('crashes', '?')} crashes, "
                                         f"{d.get('hangs', '?')} hangs" for t, d in atheris.items()) + ".")
    return text


def write_subsection(heading: str, body: str) -> None:
    """Replace the part of BENCHMARKS.md's RELIABILITY section that starts with `heading` by `body` (which
    starts with it), or add it at the section's end; the section is added at the end when missing."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    if SECTION not in text:
        text = text.rstrip() + f"\n\n{SECTION}\n"
    section = text.index(SECTION)
    next_section = text.find("\n## ", section + 1)
    section_end = next_section if next_section >= 0 else len(text)
    start = text.find(heading, section, section_end)
    if start < 0:
        text = text[:section_end].rstrip() + "\n\n" + body + "\n" + text[section_end:]
    else:
        ends = [e for e in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if e >= 0]
        end = min(ends) if ends else len(text)
        text = text[:start] + body + "\n" + text[end:]
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="hypothesis cases over all targets")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--atheris", type=int, default=0, help="atheris runs per target (0: none)")
    parser.add_argument("--atheris-target", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args()
    if args.atheris_target:
        atheris_main(args.atheris_target, args.atheris, Path(args.out))
        return
    signal.signal(signal.SIGALRM, _on_alarm)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    tally = Tally()
    started = time.perf_counter()
    run_hypothesis(args.cases, tally, args.seed)
    seconds = time.perf_counter() - started
    atheris = run_atheris(args.atheris) if args.atheris else None
    summary = tally.summary()
    if atheris:
        summary["atheris"] = atheris
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        command = "python bench/fuzz.py" + (f" --cases {args.cases}" if args.cases != 100_000 else "") + (
            f" --atheris {args.atheris}" if args.atheris else "")
        print(markdown(summary, seconds, atheris, command))
    if args.write:
        command = "python bench/fuzz.py" + (f" --cases {args.cases}" if args.cases != 100_000 else "") + (
            f" --atheris {args.atheris}" if args.atheris else "") + " --write"
        write_subsection("### Fuzzing", markdown(summary, seconds, atheris, command))
    if summary["crashes"] or summary["hangs"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
