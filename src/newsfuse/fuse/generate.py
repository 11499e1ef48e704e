"""Optional generative summary from an OpenAI-compatible endpoint (e.g. a local llama.cpp server).

Not used by default. The model sees the story's facts, numbered, and must end every sentence with
the numbers of the facts it uses ("[F1, F3]"). Each sentence then cites those facts' spans and goes
through the same faithfulness check as the extractive summary; sentences that fail are dropped and
reported by `fuse_story`.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Mapping

from newsfuse.errors import NewsfuseError
from newsfuse.models import Article, FusedStory, SummarySentence

# Facts offered to the model: the consensus and the most notable details fit a small context.
MAX_FACTS = 30
TIMEOUT_S = 60.0
_CITED = re.compile(r"\[((?:F\d+\s*,?\s*)+)\]\s*$")
PROMPT = (
    "Write a short neutral summary (3 to 6 sentences) of a news story using ONLY the numbered facts below. "
    "Use the facts' own words for names and numbers; add nothing that is not in them. End every sentence "
    "with the numbers of the facts it uses in brackets, like [F1, F4]. One sentence per line.\n\n"
)


def _request(endpoint: str, prompt: str, model: str = "default") -> str:
    url = endpoint.rstrip("/")
    if not url.endswith("/chat/completions"):
        url += "/v1/chat/completions" if not url.endswith("/v1") else "/chat/completions"
    body = json.dumps({"model": model, "temperature": 0,
                       "messages": [{"role": "user", "content": prompt}]}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (user-configured endpoint)
            data = json.loads(response.read())
        return str(data["choices"][0]["message"]["content"])
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise NewsfuseError(f"llm_endpoint {endpoint}: no usable answer ({exc}); unset llm_endpoint to skip it") from exc


def generated_summary(fused: FusedStory, articles: Mapping[str, Article], endpoint: str) -> list[SummarySentence]:
    """The model's sentences, each citing the spans of the facts it names (unchecked: fuse_story checks)."""
    facts = list(fused.facts[:MAX_FACTS])
    listing = "\n".join(f"F{i + 1}: {f.text}" for i, f in enumerate(facts))
    answer = _request(endpoint, PROMPT + listing)
    out = []
    for line in answer.splitlines():
        line = line.strip().lstrip("-* ").strip()
        match = _CITED.search(line)
        if not line:
            continue
        cited = [int(n) - 1 for n in re.findall(r"\d+", match.group(1))] if match else []
        used = [facts[i] for i in cited if 0 <= i < len(facts)]
        text = line[:match.start()].strip() if match else line
        spans = tuple(s for f in used for s in f.sources)
        out.append(SummarySentence(text, tuple(dict.fromkeys(s.article for s in spans)), "generated", spans))
    return out
