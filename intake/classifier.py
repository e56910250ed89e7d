"""Complaint classifier (R2.2): violation type and department of a complaint text, with the terms that decided it.

Features are jieba words and character n-grams (1–2 by default, DEFAULT_PARAMS) of the normalised text (NFKC,
lower case, every run of digits one placeholder), each block tf-idf weighted (sublinear tf, smooth idf) and
L2-normalised, then weighted; the model is a scikit-learn linear classifier (LinearSVC) over the joint
"type|department" labels (14 enforcement types, all routed to CHENGGUAN, plus NON_ENFORCEMENT with each of the 8
referral departments). Its scores become probabilities through a softmax whose temperature is fitted on
out-of-fold scores of a grouped cross-validation, so `confidence` is a calibrated probability of the type.

Training needs scikit-learn, scipy and jieba. Prediction needs only numpy and joblib: the shipped artefact
(`intake/ml/classifier.joblib`) holds plain arrays and dictionaries, and its own copy of the part of jieba's
dictionary that the training texts use, and a segmenter that runs jieba's algorithm (the exact-mode DAG and
maximum-probability route, without the HMM for unknown words) over it. For the texts it was trained on, the words
are jieba's; loading takes a fraction of a second instead of the second or two of jieba's full dictionary and
scikit-learn's import, and nothing touches the database or the network.
"""
from __future__ import annotations

import json
import math
import re
import threading
import time
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add
from pathlib import Path

import numpy as np

ML_DIR = Path(__file__).resolve().parent / "ml"
MODEL_FILE = "classifier.joblib"
META_FILE = "metadata.json"
USERDICT_FILE = "userdict.txt"
FORMAT_VERSION = 1

ENFORCEMENT_DEPARTMENT = "CHENGGUAN"
NON_ENFORCEMENT = "NON_ENFORCEMENT"
ENFORCEMENT_TYPES = [
    "RENOVATION_UNREGISTERED", "USE_CHANGE", "GROUP_RENTING", "STRUCTURE_DAMAGE", "ILLEGAL_CONSTRUCTION",
    "COMMON_AREA_OCCUPATION", "HOUSEHOLD_WASTE", "CONSTRUCTION_WASTE", "GREEN_DAMAGE", "SMALL_ADS",
    "PROPERTY_NEGLIGENCE", "EBIKE_PARKING", "EBIKE_CHARGING", "FACADE_DAMAGE",
]
TYPE_CODES = ENFORCEMENT_TYPES + [NON_ENFORCEMENT]
REFERRAL_DEPARTMENTS = ["HOUSING", "GREENING", "PLANNING", "JUSTICE", "FIRE", "SPORTS", "POLICE", "STREET"]
DEPARTMENT_CODES = [ENFORCEMENT_DEPARTMENT] + REFERRAL_DEPARTMENTS

# Chosen by grouped 5-fold cross-validation on data/intake/corpus.csv (see bench/README.md, "Classifier").
DEFAULT_PARAMS = {
    "C": 1.0,                # LinearSVC regularisation
    "class_weight": "balanced",
    "char_ngram": (1, 2),    # character n-gram lengths
    "word_ngram": 1,         # jieba word unigrams (2 adds word bigrams)
    "word_weight": 0.4,      # weights of the two L2-normalised blocks (squares sum to 1)
    "char_weight": 0.9165,
    "min_df": 1,
    # Structure (issue 14): the title and the resident's request sentence are repeated in the feature text, so their
    # words weigh more than a wandering body; context terms every resident writes weigh less.
    "title_repeat": 2,
    "request_repeat": 1,
    "context_weight": 0.35,
}

STRUCTURE_OFF = {"title_repeat": 0, "request_repeat": 0, "context_weight": 1.0}

# Words nearly every resident's post carries whatever the matter: context, not evidence of a type.
CONTEXT_TERMS = ("物业", "小区", "业主", "物业公司", "居民", "住户", "小区里", "我们小区")

# When a person must look (review_decision); the shipped model carries its own, chosen on out-of-style text.
DEFAULT_REVIEW = {
    "confidence": 0.5,      # below: 分类置信度低 (a resident's post: a title, or a long text of several sentences)
    "confidence_short": 0.5,  # the same for a short single-matter text (hotline-operator style)
    "margin": 0.0,          # best minus second type probability below this: 两类难分
    "oov": 0.6,             # share of the text's words the model never saw, above this: 生词多
    "secondary": 0.0,       # a secondary matter's clause probability above this sends a text with confidence
    "secondary_conf": 0.0,  # below secondary_conf to review as 一诉多事 (0 = never)
}
REVIEW_LOW_CONFIDENCE = "low_confidence"
REVIEW_LOW_MARGIN = "low_margin"
REVIEW_SEVERAL_MATTERS = "several_matters"
REVIEW_OUT_OF_VOCABULARY = "out_of_vocabulary"
REVIEW_REASONS = (REVIEW_LOW_CONFIDENCE, REVIEW_LOW_MARGIN, REVIEW_SEVERAL_MATTERS, REVIEW_OUT_OF_VOCABULARY)

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")
# Segments: runs of CJK ideographs, Latin letters and digits; everything else separates.
_SEP = re.compile(r"[^\u4e00-\u9fffa-z0-9]+")
_SEGMENT = re.compile(r"[\u4e00-\u9fffa-z0-9]+")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
DIGIT = "0"  # every run of digits becomes this placeholder, so numbers and addresses are not features


# Characters NFKC leaves alone or turns into other separators: ASCII, CJK ideographs, CJK and full-width
# punctuation, dashes and quotes. A text made only of these skips NFKC (about 10 µs a text), with the same features.
_NFKC_NOT_NEEDED = re.compile(
    r"[\u0000-\u007f\u00b7\u2010-\u2026\u3001-\u3003\u3008-\u3011\u3014-\u301f\u4e00-\u9fff"
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]*"
)


def display_text(text: str) -> str:
    """NFKC (full-width to half-width), lower case, whitespace collapsed: the text evidence terms are taken from.
    (Full-width punctuation may stay full-width: it separates words either way.)"""
    text = text or ""
    if _NFKC_NOT_NEEDED.fullmatch(text) is None:
        text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", text.lower()).strip()


def feature_text(text: str) -> str:
    """display_text with every run of digits collapsed to one placeholder."""
    return _DIGITS.sub(DIGIT, display_text(text))


def segments(ftext: str) -> list[str]:
    return [s for s in _SEP.split(ftext) if s]


_TITLE_PREFIX = re.compile(r"^\s*(?:标题|主题|留言标题)\s*[:：]\s*(.{2,60}?)\s*(?:内容|正文|留言内容|详情)\s*[:：]\s*",
                           re.S)
_BRACKET_TITLE = re.compile(r"^\s*【([^】]{4,50})】\s*")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_REQUEST = re.compile(r"要求|希望|恳请|请求|诉求|盼|请(?:有关|相关|贵|政府|领导|职能|城管|街道|执法)|麻烦|尽快|望")
_CLAUSE_MIN = 6  # characters a clause needs to be classified on its own (several matters)


def split_title(text: str) -> tuple[str, str]:
    """(title, body) of a post: "标题：… 内容：…", a first line of at most 50 characters followed by more lines, a
    tab between title and body (`classify` reads one text a line), or a leading 【…】 that is no channel name."""
    text = text or ""
    m = _TITLE_PREFIX.match(text)
    if m:
        return m.group(1), text[m.end():]
    for sep in ("\t", "\n"):
        if sep in text:
            head, rest = text.split(sep, 1)
            if head.strip() and rest.strip() and len(head.strip()) <= 50:
                return head.strip(), rest
    m = _BRACKET_TITLE.match(text)
    if m and not re.search(r"留言|12345|热线|随申办|来电|网友", m.group(1)):
        return m.group(1), text[m.end():]
    return "", text


def clauses(text: str) -> list[str]:
    return [c for c in (c.strip() for c in _SENTENCE_END.split(text)) if c]


def request_sentence(body: str) -> str:
    """The last sentence that asks for something (要求/希望/恳请 … 处理), when the body has more than one."""
    parts = clauses(body)
    if len(parts) < 2:
        return ""
    for part in reversed(parts):
        if _REQUEST.search(part):
            return part
    return ""


def model_text(text: str, params: dict | None = None) -> str:
    """The feature text of a complaint: body, then the title and the request sentence repeated (their words weigh
    more), every part normalised as feature_text; " | " separates parts so no n-gram crosses them."""
    params = params or DEFAULT_PARAMS
    title, body = split_title(text or "")
    fbody = feature_text(body)
    if not title and not params.get("request_repeat"):
        return fbody
    parts = [fbody]
    if title:
        ftitle = feature_text(title)
        parts += [ftitle] * (1 + int(params.get("title_repeat", 0)))
    req = request_sentence(display_text(body)) if params.get("request_repeat") else ""
    if req:
        parts += [_DIGITS.sub(DIGIT, req)] * int(params["request_repeat"])
    return " | ".join(p for p in parts if p)


POST_MIN_CHARS = 90  # a text this long with several sentences reads as a resident's post


def is_post(text: str) -> bool:
    """A resident's post (a title, or long with several sentences), not a short operator's summary: the two
    styles are calibrated apart (the model is surer of the house style than it should be of a post)."""
    title, body = split_title(text or "")
    return bool(title) or (len(body) >= POST_MIN_CHARS and len(clauses(body)) >= 3)


def review_decision(confidence: float, margin: float, oov: float, secondary_prob: float,
                    thresholds: dict | None = None, post: bool = True) -> str | None:
    """Whether a person must look before the complaint is routed, and why: the reason code, or None.

    The one decision `classify`, the import, a form's complaint and re-routing all use (through
    Prediction.review_reason). Thresholds come from the model (chosen on out-of-style text, bench/README.md)."""
    t = {**DEFAULT_REVIEW, **(thresholds or {})}
    if oov > t["oov"]:
        return REVIEW_OUT_OF_VOCABULARY
    if confidence < t["confidence" if post else "confidence_short"]:
        if margin < t["margin"]:
            return REVIEW_LOW_MARGIN
        if t["secondary"] and secondary_prob >= t["secondary"]:
            return REVIEW_SEVERAL_MATTERS
        return REVIEW_LOW_CONFIDENCE
    if t["secondary_conf"] and secondary_prob >= t["secondary"] and confidence < t["secondary_conf"]:
        return REVIEW_SEVERAL_MATTERS
    return None


# --------------------------------------------------------------------------------------------------------------
# Word segmentation
# --------------------------------------------------------------------------------------------------------------
class Segmenter:
    """jieba's exact mode without HMM (`jieba.Tokenizer.cut(s, HMM=False)`) over a given word-frequency table.

    The table is a subset of jieba's dictionary plus the user dictionary; `total` is jieba's total frequency, so
    that on any text whose dictionary words are all in the table the result equals jieba's.
    """

    CACHE_SIZE = 50_000  # segments kept; 0 turns the cache off

    def __init__(self, freq: dict[str, int], total: int):
        self.freq = dict(freq)
        self.total = int(total)
        self._build()

    def _build(self):
        logtotal = math.log(self.total)
        table: dict[str, float] = {}
        for word, f in self.freq.items():
            if f > 0:
                table[word] = math.log(f) - logtotal
        for word in list(table):
            for i in range(1, len(word)):
                table.setdefault(word[:i], 1.0)  # a prefix only: positive, where log-probabilities are <= 0
        self._table = table
        self._unknown = -logtotal  # jieba scores a character outside the dictionary as frequency 1
        self._cache: dict[str, list[str]] = {}  # segments recur (hotline boilerplate): cut each once

    def __getstate__(self):
        return {"freq": self.freq, "total": self.total}

    def __setstate__(self, state):
        self.freq, self.total = state["freq"], state["total"]
        self._build()

    def cut(self, s: str) -> list[str]:
        """Words of one segment (no separators inside). The list returned is shared: do not change it."""
        words = self._cache.get(s)
        if words is not None:
            return words
        words = self._cut(s)
        if self.CACHE_SIZE > 0:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[s] = words
        return words

    def _cut(self, s: str) -> list[str]:
        get, unknown = self._table.get, self._unknown
        n = len(s)
        best = [0.0] * (n + 1)
        end = list(range(n))
        for idx in range(n - 1, -1, -1):
            lp = get(s[idx])
            if lp is None:  # not even the start of a dictionary word
                best[idx] = unknown + best[idx + 1]
                continue
            score, to, i = None, idx, idx
            while True:
                if lp <= 0.0:  # a word (a prefix that is no word holds +1.0)
                    sc = lp + best[i + 1]
                    if score is None or sc >= score:  # jieba: max((score, end)) prefers the longer word on ties
                        score, to = sc, i
                i += 1
                if i >= n:
                    break
                lp = get(s[idx:i + 1])
                if lp is None:
                    break
            if score is None:
                score = unknown + best[idx + 1]
            best[idx] = score
            end[idx] = to
        out, buf, x = [], "", 0
        while x < n:
            y = end[x] + 1
            word = s[x:y]
            if y - x == 1 and word in _ASCII_ALNUM:
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)
        return out


def load_userdict(path: Path | None = None) -> list[tuple[str, int | None]]:
    path = Path(path or ML_DIR / USERDICT_FILE)
    words = []
    if not path.exists():
        return words
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        words.append((display_text(parts[0]), freq))
    return words


_JIEBA: dict = {}


def _jieba_tokenizer(userdict: Path | None = None):
    """jieba's default tokenizer with the domain user dictionary (training only; takes a second or two)."""
    key = str(userdict or ML_DIR / USERDICT_FILE)
    if key not in _JIEBA:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        for word, freq in load_userdict(userdict):
            tok.add_word(word, freq)
        _JIEBA[key] = tok
    return _JIEBA[key]


def build_segmenter(ftexts: Iterable[str], userdict: Path | None = None) -> Segmenter:
    """A Segmenter holding the jieba (and user) dictionary words that occur in the given feature texts."""
    tok = _jieba_tokenizer(userdict)
    full = tok.FREQ
    used: dict[str, int] = {}
    for ftext in ftexts:
        for seg in segments(ftext):
            n = len(seg)
            for k in range(n):
                i, frag = k, seg[k]
                while frag in full:
                    f = full[frag]
                    if f:
                        used[frag] = f
                    i += 1
                    if i >= n:
                        break
                    frag = seg[k:i + 1]
    for word, _ in load_userdict(userdict):
        if full.get(word):
            used[word] = full[word]
    return Segmenter(used, tok.total)


def analyze(segmenter: Segmenter, ftext: str, ngram_range: range, word_ngram: int = 1,
            located: tuple[list, list] | None = None):
    """(words, char n-grams) of a feature text; n-grams and word bigrams never cross a separator.
    With `located`, also appends each word (unigram) and its offset in the text to its two lists."""
    cut = segmenter.cut
    words: list[str] = []
    grams: list[str] = []
    if located is None:
        pieces = [(seg, cut(seg)) for seg in _SEP.split(ftext) if seg]
    else:
        pieces = []
        for m in _SEGMENT.finditer(ftext):
            seg = m.group()
            ws = cut(seg)
            located[0].extend(ws)
            located[1].extend(accumulate(map(len, ws[:-1]), initial=m.start()))
            pieces.append((seg, ws))
    for seg, ws in pieces:
        words += ws
        if word_ngram > 1:
            words += [a + " " + b for a, b in zip(ws, ws[1:], strict=False)]
        for k in ngram_range:
            if k == 1:
                grams += seg
            elif k == 2:
                grams += map(add, seg, seg[1:])
            else:
                grams += [seg[i:i + k] for i in range(len(seg) - k + 1)]
    return words, grams


# --------------------------------------------------------------------------------------------------------------
# Predictions
# --------------------------------------------------------------------------------------------------------------
@dataclass
class Prediction:
    violation_type: str | None
    department: str | None
    confidence: float
    evidence: list[str] = field(default_factory=list)
    department_confidence: float = 0.0
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    margin: float = 0.0  # best minus second type probability
    oov: float = 1.0  # share of the text's features the model never saw
    secondary: list[str] = field(default_factory=list)  # other matters a clause of the text is about
    secondary_prob: float = 0.0
    review_reason: str | None = REVIEW_LOW_CONFIDENCE  # why a person must look (review_decision), or None

    @property
    def needs_review(self) -> bool:
        return self.review_reason is not None

    def as_contract(self) -> dict:
        """The `classify` command's JSON object (CONTRACTS.md)."""
        return {
            "violation_type": self.violation_type,
            "department": self.department,
            "confidence": round(float(self.confidence), 4),
            "evidence": list(self.evidence),
            "needs_review": self.needs_review,
        }

    def review_record(self) -> dict:
        """What is stored on the complaint (classification_evidence["review"]): the decision and its grounds."""
        return {"needs": self.needs_review, "reason": self.review_reason or "", "margin": round(self.margin, 4),
                "oov": round(self.oov, 4), "secondary": list(self.secondary)}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


class ComplaintClassifier:
    """Fitted model: vocabularies, idf, linear weights, label set, softmax temperature, segmenter."""

    EVIDENCE_MAX = 6
    EVIDENCE_FEATURES = 10  # top contributing features spread over the text's words
    EVIDENCE_FLOOR = 0.02  # a feature contributing less than this (and < 30 % of the row's best) is not shown
    EVIDENCE_MIN_SHARE = 0.15  # beyond the first three, a word needs this share of the best word's score
    EVIDENCE_MAX_CHARS = 8  # neighbouring words join into one term up to this length
    BATCH = 2000

    def __init__(self, *, segmenter: Segmenter, word_vocab: dict, char_vocab: dict, word_idf, char_idf,
                 coef, intercept, labels: list[str], params: dict, temperature: float = 1.0,
                 metadata: dict | None = None):
        self.segmenter = segmenter
        self.word_vocab = word_vocab
        self.char_vocab = char_vocab
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)            # (labels, features)
        self.intercept = np.asarray(intercept, dtype=np.float32)  # (labels,)
        self.labels = list(labels)
        self.params = {**DEFAULT_PARAMS, **params}
        self.temperature = float(temperature)
        self.metadata = metadata or {}
        self._prepare()

    # -- derived tables ----------------------------------------------------------------------------------------
    def _prepare(self):
        self.n_words = len(self.word_vocab)
        self._char_index = {g: self.n_words + j for g, j in self.char_vocab.items()}
        self.idf = np.concatenate([self.word_idf, self.char_idf]).astype(np.float32)
        context_weight = float(self.params.get("context_weight", 1.0))
        if context_weight != 1.0:  # context terms (CONTEXT_TERMS) weigh less, words and bigrams alike
            for term in CONTEXT_TERMS:
                if term in self.word_vocab:
                    self.idf[self.word_vocab[term]] *= context_weight
                if term in self.char_vocab:
                    self.idf[self.n_words + self.char_vocab[term]] *= context_weight
        self.coef_t = np.ascontiguousarray(self.coef.T)  # (features, labels) for row gathers
        names = [""] * (len(self.word_vocab) + len(self.char_vocab))
        for w, j in self.word_vocab.items():
            names[j] = w
        for g, j in self.char_vocab.items():
            names[self.n_words + j] = g
        self.feature_names = names
        self.label_type = [lab.split("|")[0] for lab in self.labels]
        self.label_dept = [lab.split("|")[1] for lab in self.labels]
        self.types = [t for t in TYPE_CODES if t in set(self.label_type)]
        type_index = {t: i for i, t in enumerate(self.types)}
        agg = np.zeros((len(self.labels), len(self.types)), dtype=np.float32)
        for k, t in enumerate(self.label_type):
            agg[k, type_index[t]] = 1.0
        self.type_agg = agg
        self._label_type_index = [type_index[t] for t in self.label_type]
        self.ne_type = type_index.get(NON_ENFORCEMENT)
        lo, hi = self.params["char_ngram"]
        self._ngram_range = range(int(lo), int(hi) + 1)
        self._word_ngram = int(self.params.get("word_ngram", 1))
        self._block_weight = (float(self.params["word_weight"]), float(self.params["char_weight"]))

    # -- features -----------------------------------------------------------------------------------------------
    def analyze(self, ftext: str, located: tuple[list, list] | None = None) -> tuple[list[str], list[str]]:
        """(words, char n-grams) of a feature text."""
        return analyze(self.segmenter, ftext, self._ngram_range, self._word_ngram, located)

    def _vectorize(self, ftexts: Sequence[str], kept_words: list | None = None, unknown: list | None = None):
        """Sparse rows as (indptr, cols, vals); tf-idf per block, sublinear tf, L2 per block, block weights.
        With `unknown`, appends each row's share of features outside the vocabulary."""
        wget, cget = self.word_vocab.get, self._char_index.get
        ids: list[int] = []
        per_row: list[int] = []
        analyze = self.analyze
        for ftext in ftexts:
            if kept_words is None:
                words, grams = analyze(ftext)
            else:
                located: tuple[list, list] = ([], [])
                words, grams = analyze(ftext, located)
                kept_words.append(located)
            before = len(ids)
            ids += map(wget, words, repeat(-1))
            ids += map(cget, grams, repeat(-1))
            per_row.append(len(ids) - before)
            if unknown is not None:
                unknown.append(ids[before:].count(-1) / max(1, len(ids) - before))
        n = len(ftexts)
        n_features = len(self.feature_names)
        ids_a = np.asarray(ids, dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.asarray(per_row, dtype=np.int64))
        known = ids_a >= 0
        keys, counts = np.unique(rows[known] * n_features + ids_a[known], return_counts=True)
        rows_u, cols = np.divmod(keys, n_features)
        vals = np.log(counts.astype(np.float32)) + np.float32(1.0)
        vals *= self.idf[cols]
        block = rows_u * 2 + (cols >= self.n_words)
        sq = np.bincount(block, weights=vals * vals, minlength=2 * n).astype(np.float64)
        weight = np.tile(np.asarray(self._block_weight, dtype=np.float64), n)
        scale = np.divide(weight, np.sqrt(sq), out=np.zeros_like(sq), where=sq > 0)
        vals *= scale[block].astype(np.float32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows_u, minlength=n), out=indptr[1:])
        return indptr, cols, vals

    def decision_function(self, ftexts: Sequence[str], kept_words: list | None = None,
                          unknown: list | None = None):
        """Linear scores (texts x labels) and the sparse rows they came from."""
        indptr, cols, vals = self._vectorize(ftexts, kept_words, unknown)
        n = len(ftexts)
        scores = np.zeros((n, len(self.labels)), dtype=np.float32)
        if len(cols):
            contrib = self.coef_t[cols] * vals[:, None]
            nonempty = np.flatnonzero(indptr[1:] > indptr[:-1])
            scores[nonempty] = np.add.reduceat(contrib, indptr[nonempty], axis=0)
        scores += self.intercept
        return scores, (indptr, cols, vals)

    # -- prediction ---------------------------------------------------------------------------------------------
    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Iterable[str], *, evidence: bool = True) -> list[Prediction]:
        texts = list(texts)
        out: list[Prediction] = []
        for start in range(0, len(texts), self.BATCH):
            out.extend(self._predict_batch(texts[start:start + self.BATCH], evidence))
        return out

    def _predict_batch(self, texts: list[str], with_evidence: bool) -> list[Prediction]:
        params = self.params
        ftexts = [model_text(t, params) for t in texts]
        live = [i for i, f in enumerate(ftexts) if _SEGMENT.search(f)]  # any character a feature is made of
        results: list[Prediction | None] = [None] * len(texts)
        if not live:
            return [Prediction(None, None, 0.0) for _ in texts]
        ftexts_live = [ftexts[i] for i in live]
        words = [] if with_evidence else None
        unknown: list[float] = []
        scores, (indptr, cols, vals) = self.decision_function(ftexts_live, words, unknown)
        probs = _softmax(scores / np.float32(self.temperature))
        type_probs = self._type_probabilities(probs)
        # The decision is the best joint label (what the linear model was trained for); its type's probability
        # is the sum over the type's labels (NON_ENFORCEMENT has one label per referral department).
        chosen_label = scores.argmax(axis=1)
        label_type_idx = self.type_agg.argmax(axis=1)
        type_idx = label_type_idx[chosen_label]
        n = len(live)
        rows = np.arange(n)
        ne = self.ne_type
        enforcement_mass = 1.0 - type_probs[:, ne] if ne is not None else np.ones(n, dtype=np.float32)
        is_ne = type_idx == ne if ne is not None else np.zeros(n, dtype=bool)
        dept_conf = np.where(is_ne, probs[rows, chosen_label], enforcement_mass)
        top3 = np.argsort(-type_probs, axis=1)[:, :3].tolist()
        second = np.sort(type_probs, axis=1)[:, -2] if type_probs.shape[1] > 1 else np.zeros(n, np.float32)
        if with_evidence:
            feature_names, feature_values, bounds = self._top_features(indptr, cols, vals, chosen_label)
        labels, type_list, conf = chosen_label.tolist(), type_idx.tolist(), type_probs.tolist()
        secondary = self._secondary_matters([texts[i] for i in live], type_list)
        thresholds = {**DEFAULT_REVIEW, **(self.metadata.get("review") or {})}
        dept_list = dept_conf.tolist()
        second_list = second.tolist()
        has_features = (np.diff(indptr) > 0).tolist()
        for r, i in enumerate(live):
            if not has_features[r]:  # nothing the model knows: leave it to a person
                results[i] = Prediction(None, None, 0.0, oov=1.0, review_reason=REVIEW_OUT_OF_VOCABULARY)
                continue
            k, t = labels[r], type_list[r]
            margin = conf[r][t] - second_list[r] if second_list[r] < conf[r][t] else 0.0
            others, other_prob = secondary[r]
            results[i] = Prediction(
                violation_type=self.label_type[k],
                department=self.label_dept[k],
                confidence=conf[r][t],
                evidence=self._evidence(ftexts_live[r], words[r], feature_names[bounds[r]:bounds[r + 1]],
                                        feature_values[bounds[r]:bounds[r + 1]]) if with_evidence else [],
                department_confidence=dept_list[r],
                alternatives=[(self.types[j], round(conf[r][j], 4))
                              for j in [t] + [j for j in top3[r] if j != t][:2]],
                margin=margin, oov=unknown[r], secondary=others, secondary_prob=other_prob,
                review_reason=review_decision(conf[r][t], margin, unknown[r], other_prob, thresholds,
                                              is_post(texts[i])),
            )
        return [p if p is not None else Prediction(None, None, 0.0) for p in results]

    SECONDARY_MIN = 0.5  # a clause's type probability for its type to count as a secondary matter
    SECONDARY_CLAUSES = 8  # clauses of one text looked at, at most

    def _secondary_matters(self, texts: list[str], main_types: list[int]) -> list[tuple[list[str], float]]:
        """Per text, the other matters (type codes) some clause of it is about, and the best such clause's
        probability: a post often asks about several things; the main type is the whole text's."""
        owner: list[int] = []
        pieces: list[str] = []
        for r, text in enumerate(texts):
            title, body = split_title(text)
            parts = [c for c in clauses(display_text(body)) if len(c) >= _CLAUSE_MIN]
            if title:
                parts.insert(0, display_text(title))
            if len(parts) < 2:
                continue
            for c in parts[: self.SECONDARY_CLAUSES]:
                owner.append(r)
                pieces.append(_DIGITS.sub(DIGIT, c))
        out: list[tuple[list[str], float]] = [([], 0.0) for _ in texts]
        if not pieces:
            return out
        scores, (indptr, _, _) = self.decision_function(pieces)
        tp = self._type_probabilities(_softmax(scores / np.float32(self.temperature)))
        best = tp.argmax(axis=1).tolist()
        bestp = tp.max(axis=1).tolist()
        empty = (np.diff(indptr) == 0).tolist()
        for j, r in enumerate(owner):
            t = best[j]
            if empty[j] or t == main_types[r] or bestp[j] < self.SECONDARY_MIN:
                continue
            codes, p = out[r]
            code = self.types[t]
            if code not in codes:
                codes.append(code)
            out[r] = (codes, max(p, bestp[j]))
        return out

    def _type_probabilities(self, probs: np.ndarray) -> np.ndarray:
        """probs @ type_agg, summed label by label in label order: the same float32 sums as the matrix product
        (checked bit for bit on 100,000 texts), without BLAS, whose threads cost milliseconds for this tiny
        product on a busy machine (15 ms a call instead of 0.05 on two shared cores)."""
        out = np.zeros((len(probs), len(self.types)), dtype=probs.dtype)
        for k, t in enumerate(self._label_type_index):
            out[:, t] += probs[:, k]
        return out

    def _top_features(self, indptr, cols, vals, chosen_label) -> tuple[list[str], list[float], list[int]]:
        """Per row, the features that pushed towards the chosen label most, best first: their names and values
        (value x weight), row r's from bounds[r] to bounds[r + 1]."""
        n = len(indptr) - 1
        if not len(cols):
            return [], [], [0] * (n + 1)
        row_of = np.repeat(np.arange(n), np.diff(indptr))
        contrib = vals * self.coef[chosen_label[row_of], cols]
        # Only features worth showing: a good share of the row's best one, or above an absolute floor.
        nonempty = np.flatnonzero(np.diff(indptr) > 0)
        row_max = np.zeros(n, dtype=np.float32)
        row_max[nonempty] = np.maximum.reduceat(contrib, indptr[nonempty])
        floor = np.minimum(np.float32(self.EVIDENCE_FLOOR), row_max * np.float32(0.3))
        pos = np.flatnonzero((contrib > 0) & (contrib >= floor[row_of]))
        # By row, then contribution, best first; equal contributions (frequent: n-grams seen in one training
        # text share idf and weight) in feature order, so a text's evidence never depends on the other texts
        # of its batch (an unstable sort over the whole batch picked among ties differently per batch).
        order = pos[np.lexsort((-contrib[pos], row_of[pos]))]
        row_sorted = row_of[order]
        first = np.searchsorted(row_sorted, np.arange(n))
        keep = order[np.arange(len(order)) - first[row_sorted] < self.EVIDENCE_FEATURES]
        bounds = np.searchsorted(row_of[keep], np.arange(n + 1)).tolist()
        return list(map(self.feature_names.__getitem__, cols[keep].tolist())), contrib[keep].tolist(), bounds

    def _evidence(self, ftext: str, located: tuple[list, list], names: list[str], values: list[float]) -> list[str]:
        """Readable terms that pushed the decision.

        The top positive features (words and character n-grams, value x weight of the chosen label) spread their
        contribution over the characters they cover; each jieba word of the text scores what its characters
        got; the best words, neighbours joined (飞线 + 充电 reads 飞线充电), are the evidence."""
        if not names:
            return []
        plain, starts = located
        ends = list(map(add, starts, map(len, plain)))
        find = ftext.find
        wscore: dict[int, float] = {}
        get = wscore.get
        for name, value in zip(names, values, strict=True):
            if " " in name:
                name = name.replace(" ", "")
            p = find(name)
            if p < 0:
                continue
            size = len(name)
            after = find(name, p + 1)
            if after < 0:  # one occurrence, the usual case
                hits = (p,)
                per_hit = value
            else:
                hits = [p]
                while after >= 0:
                    hits.append(after)
                    after = find(name, after + 1)
                per_hit = value / len(hits)
            for p in hits:
                o = bisect_right(starts, p) - 1
                q = p + size
                if q <= ends[o]:  # inside one word
                    wscore[o] = get(o, 0.0) + per_hit
                    continue
                per_char = per_hit / size
                while o < len(plain) and starts[o] < q:  # spread over the words it runs through
                    wscore[o] = get(o, 0.0) + per_char * (min(q, ends[o]) - max(p, starts[o]))
                    o += 1
        spans = [[starts[o], ends[o], total] for o, total in wscore.items() if total > 0 and DIGIT not in plain[o]]
        if not spans:
            return []
        multi = [sp for sp in spans if sp[1] - sp[0] > 1]
        spans = multi or spans
        ranked = sorted(spans, key=lambda sp: -sp[2])
        floor = self.EVIDENCE_MIN_SHARE * ranked[0][2]
        chosen = [sp for k, sp in enumerate(ranked) if k < 3 or sp[2] >= floor]
        chosen.sort()
        merged: list[list] = []
        for sp in chosen:
            last = merged[-1] if merged else None
            if last and sp[0] == last[1] and sp[1] - last[0] <= self.EVIDENCE_MAX_CHARS:
                last[1], last[2] = sp[1], last[2] + sp[2]
            else:
                merged.append(sp)
        merged.sort(key=lambda sp: -sp[2])
        terms: list[str] = []
        for a, b, _ in merged:
            term = ftext[a:b]
            if term not in terms:
                terms.append(term)
        return terms[: self.EVIDENCE_MAX]

    # -- persistence --------------------------------------------------------------------------------------------
    def state(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "segmenter": {"freq": self.segmenter.freq, "total": self.segmenter.total},
            "word_vocab": self.word_vocab,
            "char_vocab": self.char_vocab,
            "word_idf": self.word_idf,
            "char_idf": self.char_idf,
            "coef": self.coef,
            "intercept": self.intercept,
            "labels": self.labels,
            "params": self.params,
            "temperature": self.temperature,
            "metadata": self.metadata,
        }

    def save(self, directory: Path | str | None = None) -> Path:
        import joblib

        directory = Path(directory or ML_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        tmp = path.with_suffix(".tmp")
        joblib.dump(self.state(), tmp, compress=3)
        tmp.replace(path)
        meta = dict(self.metadata)
        meta["model_file"] = MODEL_FILE
        meta["model_bytes"] = path.stat().st_size
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_state(cls, state: dict) -> ComplaintClassifier:
        if state.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported classifier format {state.get('format')!r}")
        seg = Segmenter(state["segmenter"]["freq"], state["segmenter"]["total"])
        params = {**STRUCTURE_OFF, **state["params"]}  # a model saved before issue 14 read no structure
        params["char_ngram"] = tuple(params["char_ngram"])
        return cls(segmenter=seg, word_vocab=state["word_vocab"], char_vocab=state["char_vocab"],
                   word_idf=state["word_idf"], char_idf=state["char_idf"], coef=state["coef"],
                   intercept=state["intercept"], labels=state["labels"], params=params,
                   temperature=state["temperature"], metadata=state.get("metadata"))

    @classmethod
    def train(cls, rows: Iterable[Sequence], params: dict | None = None, **options) -> ComplaintClassifier:
        """A new model trained on (text, violation_type, department) rows; see the module function train()."""
        return train(rows, params, **options)

    @classmethod
    def load(cls, path: Path | str | None = None) -> ComplaintClassifier:
        """Load a saved model: a directory holding classifier.joblib, or the file itself."""
        import joblib

        path = Path(path or ML_DIR)
        if path.is_dir():
            path = path / MODEL_FILE
        return cls.from_state(joblib.load(path))


_lock = threading.Lock()
_cached: ComplaintClassifier | None = None


def get_classifier() -> ComplaintClassifier:
    """The shipped model, loaded once per process."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = ComplaintClassifier.load()
    return _cached


def reset_cache():
    global _cached
    _cached = None


def load(path: Path | str | None = None) -> ComplaintClassifier:
    """The model at `path`, or the shipped one (cached) when no path is given."""
    return get_classifier() if path is None else ComplaintClassifier.load(path)


# --------------------------------------------------------------------------------------------------------------
# Training (needs scikit-learn, scipy and jieba)
# --------------------------------------------------------------------------------------------------------------
def joint_label(violation_type: str, department: str | None) -> str:
    if violation_type != NON_ENFORCEMENT:
        department = ENFORCEMENT_DEPARTMENT
    return f"{violation_type}|{department}"


def clean_rows(rows: Iterable[Sequence]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Valid (text, type, department) rows, and the reasons the others were dropped."""
    good, problems = [], []
    for n, row in enumerate(rows, start=1):
        text, vtype, dept = (list(row) + [None, None, None])[:3]
        text = (text or "").strip()
        vtype = (vtype or "").strip().upper()
        dept = (dept or "").strip().upper()
        if not text:
            problems.append(f"row {n}: empty text")
            continue
        if vtype not in TYPE_CODES:
            problems.append(f"row {n}: unknown violation type {vtype!r}")
            continue
        if vtype != NON_ENFORCEMENT:
            dept = ENFORCEMENT_DEPARTMENT
        elif dept not in REFERRAL_DEPARTMENTS:
            problems.append(f"row {n}: NON_ENFORCEMENT needs a referral department, got {dept!r}")
            continue
        good.append((text, vtype, dept))
    return good, problems


def _fit_vocab(docs: list[list[str]], min_df: int) -> tuple[dict, np.ndarray]:
    df: Counter = Counter()
    for d in docs:
        df.update(set(d))
    terms = sorted(t for t, c in df.items() if c >= min_df)
    vocab = {t: j for j, t in enumerate(terms)}
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
    return vocab, idf


def _csr(model: ComplaintClassifier, ftexts: list[str]):
    from scipy.sparse import csr_matrix

    indptr, cols, vals = model._vectorize(ftexts)
    return csr_matrix((vals, cols, indptr), shape=(len(ftexts), len(model.feature_names)))


def fit(rows: Sequence[tuple[str, str, str]], params: dict | None = None, *, temperature: float = 1.0,
        userdict: Path | None = None, weights: Sequence[float] | None = None) -> ComplaintClassifier:
    """Fit vocabularies, idf and the linear model on clean rows (no calibration); `weights` per row (a staff
    correction weighs more than a corpus text)."""
    from sklearn.svm import LinearSVC

    params = {**DEFAULT_PARAMS, **(params or {})}
    ftexts = [model_text(t, params) for t, _, _ in rows]
    labels = [joint_label(v, d) for _, v, d in rows]
    segmenter = build_segmenter(ftexts, userdict)
    lo, hi = params["char_ngram"]
    analysed = [analyze(segmenter, f, range(int(lo), int(hi) + 1), int(params["word_ngram"])) for f in ftexts]
    word_vocab, word_idf = _fit_vocab([a[0] for a in analysed], params["min_df"])
    char_vocab, char_idf = _fit_vocab([a[1] for a in analysed], params["min_df"])
    classes = sorted(set(labels))
    model = ComplaintClassifier(segmenter=segmenter, word_vocab=word_vocab, char_vocab=char_vocab,
                                word_idf=word_idf, char_idf=char_idf,
                                coef=np.zeros((len(classes), len(word_vocab) + len(char_vocab))),
                                intercept=np.zeros(len(classes)), labels=classes, params=params,
                                temperature=temperature)
    X = _csr(model, ftexts)
    svm = LinearSVC(C=params["C"], class_weight=params["class_weight"], max_iter=5000, random_state=0)
    svm.fit(X, labels, sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64))
    coef, intercept = svm.coef_, svm.intercept_
    if len(svm.classes_) == 2:  # binary: sklearn keeps one row; make it two
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    model.labels = [str(c) for c in svm.classes_]
    model.coef = np.asarray(coef, dtype=np.float32)
    model.intercept = np.asarray(intercept, dtype=np.float32)
    model._prepare()
    return model


def near_duplicate_groups(rows: Sequence[tuple[str, str, str]], threshold: float = 0.4) -> np.ndarray:
    """Group ids that keep near-duplicate variants of one description together (for grouped splits).

    Texts of the same label whose character 2-gram tf-idf cosine (digits removed) reaches `threshold` are
    linked; groups are the connected components."""
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(rows)
    ftexts = [_SEP.sub(" ", feature_text(t).replace(DIGIT, " ")) for t, _, _ in rows]
    X = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 2), sublinear_tf=True).fit_transform(ftexts)
    labels = np.array([joint_label(v, d) for _, v, d in rows])
    from scipy.sparse import coo_matrix

    ii, jj = [], []
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        for start in range(0, len(idx), 2000):
            block = idx[start:start + 2000]
            sim = (X[block] @ X[idx].T).tocoo()
            keep = sim.data >= threshold
            ii.append(block[sim.row[keep]])
            jj.append(idx[sim.col[keep]])
    ii = np.concatenate(ii) if ii else np.zeros(0, int)
    jj = np.concatenate(jj) if jj else np.zeros(0, int)
    graph = coo_matrix((np.ones(len(ii)), (ii, jj)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    return comp


def grouped_folds(groups: np.ndarray, labels: Sequence[str], n_splits: int, seed: int = 0):
    """Stratified grouped K-fold indices (each group in one fold)."""
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(labels)), labels, groups))


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Softmax temperature minimising the log loss of out-of-fold scores (y: label index per row)."""
    best_t, best_loss = 1.0, math.inf
    for t in np.exp(np.linspace(math.log(0.02), math.log(5.0), 121)):
        p = _softmax(scores.astype(np.float64) / t)
        loss = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)))
        if loss < best_loss:
            best_t, best_loss = float(t), float(loss)
    return best_t


def evaluate(model: ComplaintClassifier, rows: Sequence[tuple[str, str, str]]) -> dict:
    """Accuracy of type and department, macro F1 over types, per-type F1, most frequent confusions."""
    from sklearn.metrics import classification_report, f1_score

    preds = model.predict_many([t for t, _, _ in rows], evidence=False)
    yt = [v for _, v, _ in rows]
    yd = [d for _, _, d in rows]
    pt = [p.violation_type or "" for p in preds]
    pd_ = [p.department or "" for p in preds]
    confusions = Counter((a, b) for a, b in zip(yt, pt, strict=True) if a != b)
    right = np.array([a == b for a, b in zip(yt, pt, strict=True)], dtype=bool)
    conf = np.array([p.confidence for p in preds], dtype=float)
    sure = conf >= 0.5  # routing.TRIAGE_BELOW: below it a person looks first
    dept_confusions = Counter((a, b) for a, b in zip(yd, pd_, strict=True) if a != b)
    report = classification_report(yt, pt, labels=TYPE_CODES, output_dict=True, zero_division=0)
    return {
        "n": len(rows),
        "type_accuracy": float(np.mean([a == b for a, b in zip(yt, pt, strict=True)])) if rows else 0.0,
        "department_accuracy": float(np.mean([a == b for a, b in zip(yd, pd_, strict=True)])) if rows else 0.0,
        "type_macro_f1": float(f1_score(yt, pt, labels=TYPE_CODES, average="macro", zero_division=0)),
        "department_macro_f1": float(f1_score(yd, pd_, labels=DEPARTMENT_CODES, average="macro",
                                              zero_division=0)),
        "per_type_f1": {c: round(report[c]["f1-score"], 4) for c in TYPE_CODES if c in report},
        "report": classification_report(yt, pt, labels=TYPE_CODES, digits=3, zero_division=0),
        "department_report": classification_report(yd, pd_, labels=DEPARTMENT_CODES, digits=3, zero_division=0),
        "confident_share": float(sure.mean()) if rows else 0.0,
        "confident_type_accuracy": float(right[sure].mean()) if sure.any() else 0.0,
        "unsure_type_accuracy": float(right[~sure].mean()) if (~sure).any() else 0.0,
        "mean_confidence": float(conf.mean()) if rows else 0.0,
        "confusions": [(a, b, c) for (a, b), c in confusions.most_common(10)],
        "department_confusions": [(a, b, c) for (a, b), c in dept_confusions.most_common(10)],
    }


def cross_validate(rows: Sequence[tuple[str, str, str]], params: dict | None = None, *, groups=None,
                   n_splits: int = 5, seed: int = 0, progress: Callable | None = None,
                   weights: Sequence[float] | None = None) -> dict:
    """Grouped K-fold: accuracy per fold, and the out-of-fold scores (for the temperature)."""
    rows = list(rows)
    if groups is None:
        groups = near_duplicate_groups(rows)
    labels = [joint_label(v, d) for _, v, d in rows]
    folds = grouped_folds(np.asarray(groups), labels, n_splits, seed)
    classes = sorted(set(labels))
    oof = np.zeros((len(rows), len(classes)), dtype=np.float32)
    pred_type = [""] * len(rows)
    pred_dept = [""] * len(rows)
    per_fold = []
    for tr, te in (progress(folds) if progress else folds):
        model = fit([rows[i] for i in tr], params, weights=None if weights is None else [weights[i] for i in tr])
        scores, _ = model.decision_function([model_text(rows[i][0], model.params) for i in te])
        col = {lab: k for k, lab in enumerate(model.labels)}
        mapped = np.full((len(te), len(classes)), -1e3, dtype=np.float32)
        for c, lab in enumerate(classes):
            if lab in col:
                mapped[:, c] = scores[:, col[lab]]
        oof[te] = mapped
        preds = model.predict_many([rows[i][0] for i in te], evidence=False)
        ok_t = ok_d = 0
        for i, p in zip(te, preds, strict=True):
            pred_type[i], pred_dept[i] = p.violation_type, p.department
            ok_t += p.violation_type == rows[i][1]
            ok_d += p.department == rows[i][2]
        per_fold.append((ok_t / len(te), ok_d / len(te)))
    y = np.array([classes.index(lab) for lab in labels])
    type_acc = float(np.mean([pred_type[i] == rows[i][1] for i in range(len(rows))]))
    dept_acc = float(np.mean([pred_dept[i] == rows[i][2] for i in range(len(rows))]))
    return {
        "pred_type": pred_type,
        "pred_dept": pred_dept,
        "folds": n_splits,
        "groups": int(len(set(np.asarray(groups).tolist()))),
        "type_accuracy": round(type_acc, 4),
        "department_accuracy": round(dept_acc, 4),
        "type_accuracy_per_fold": [round(a, 4) for a, _ in per_fold],
        "department_accuracy_per_fold": [round(b, 4) for _, b in per_fold],
        "oof_scores": oof,
        "oof_y": y,
        "classes": classes,
    }


REVIEW_TARGET = 0.97  # of the texts no person looks at, this share must be right (type and department)
REVIEW_GRID = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999]


def choose_review_threshold(confidence: np.ndarray, right: np.ndarray, target: float = REVIEW_TARGET) -> dict:
    """The lowest confidence threshold whose texts at or above it are right at least `target` of the time
    (out-of-fold, on out-of-style text), and what it covers."""
    for t in REVIEW_GRID:
        kept = confidence >= t
        if kept.any() and right[kept].mean() >= target:
            return {"confidence": t, "coverage": round(float(kept.mean()), 4),
                    "precision": round(float(right[kept].mean()), 4), "n": int(len(right))}
    t = REVIEW_GRID[-1]
    kept = confidence >= t
    return {"confidence": t, "coverage": round(float(kept.mean()), 4),
            "precision": round(float(right[kept].mean()), 4) if kept.any() else 0.0, "n": int(len(right))}


def train(rows: Iterable[Sequence], params: dict | None = None, *, calibrate: bool = True, n_splits: int = 5,
          groups=None, sources: dict | None = None, progress: Callable | None = None,
          weights: Sequence[float] | None = None, calibrate_on: Sequence[bool] | None = None) -> ComplaintClassifier:
    """Train on all rows; with `calibrate`, first a grouped K-fold cross-validation whose out-of-fold scores set
    the softmax temperature and the review threshold, and whose accuracies go into the metadata.

    `calibrate_on` (a flag per row): the rows whose out-of-fold scores calibrate — out-of-style text (residents'
    posts), not the house style the corpus is written in, where the model is surer than it should be. `weights`:
    per-row training weight (staff corrections)."""
    import sklearn

    rows = list(rows)
    if weights is not None or calibrate_on is not None:  # keep the per-row lists aligned with the clean rows
        kept_rows, kept_w, kept_c = [], [], []
        for i, row in enumerate(rows):
            good, _ = clean_rows([row])
            if good:
                kept_rows.append(good[0])
                kept_w.append(1.0 if weights is None else float(weights[i]))
                kept_c.append(True if calibrate_on is None else bool(calibrate_on[i]))
        problems = [None] * (len(rows) - len(kept_rows))
        rows = kept_rows
        weights = kept_w if weights is not None else None
        calibrate_on = kept_c if calibrate_on is not None else None
    else:
        rows, problems = clean_rows(rows)
    if len({joint_label(v, d) for _, v, d in rows}) < 2:
        raise ValueError("training needs at least two different labels")
    params = {**DEFAULT_PARAMS, **(params or {})}
    started = time.time()
    temperature, cv_summary, review = 1.0, None, None
    if calibrate:
        cv = cross_validate(rows, params, groups=groups, n_splits=n_splits, progress=progress, weights=weights)
        mask = np.ones(len(rows), dtype=bool) if calibrate_on is None else np.asarray(calibrate_on, dtype=bool)
        if not mask.any():
            mask[:] = True
        temperature = fit_temperature(cv["oof_scores"][mask], cv["oof_y"][mask])
        probs = _softmax(cv["oof_scores"][mask].astype(np.float64) / temperature)
        classes = cv["classes"]
        ctype = [c.split("|")[0] for c in classes]
        types = sorted(set(ctype))
        agg = np.zeros((len(classes), len(types)))
        for k, t in enumerate(ctype):
            agg[k, types.index(t)] = 1.0
        tprobs = probs @ agg
        idx = np.flatnonzero(mask)
        right = np.array([cv["pred_type"][i] == rows[i][1] and cv["pred_dept"][i] == rows[i][2] for i in idx])
        conf = np.array([tprobs[r, types.index(cv["pred_type"][i])] if cv["pred_type"][i] in types else 0.0
                         for r, i in enumerate(idx)])
        review = {**DEFAULT_REVIEW, "margin": 0.2, "secondary": 0.5}
        chosen = choose_review_threshold(conf, right)
        review["confidence"] = chosen["confidence"]
        review["chosen_on"] = {**chosen, "rows": "out-of-style" if calibrate_on is not None else "all",
                               "target": REVIEW_TARGET}
        # Short single-matter texts (the house style): their own threshold, on their own out-of-fold scores.
        short = np.array([not mask[i] and not is_post(rows[i][0]) for i in range(len(rows))])
        if short.any():
            sprobs = _softmax(cv["oof_scores"][short].astype(np.float64) / temperature) @ agg
            sidx = np.flatnonzero(short)
            sright = np.array([cv["pred_type"][i] == rows[i][1] and cv["pred_dept"][i] == rows[i][2]
                               for i in sidx])
            sconf = np.array([sprobs[r, types.index(cv["pred_type"][i])] if cv["pred_type"][i] in types else 0.0
                              for r, i in enumerate(sidx)])
            schosen = choose_review_threshold(sconf, sright)
            review["confidence_short"] = schosen["confidence"]
            review["chosen_on_short"] = {**schosen, "rows": "house-style short texts", "target": REVIEW_TARGET}
        cv_summary = {k: v for k, v in cv.items()
                      if k not in ("oof_scores", "oof_y", "classes", "pred_type", "pred_dept")}
    model = fit(rows, params, temperature=temperature, weights=weights)
    counts = Counter(joint_label(v, d) for _, v, d in rows)
    model.metadata = {
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "training_rows": len(rows),
        "dropped_rows": len(problems),
        "sources": sources or {},
        "label_counts": dict(sorted(counts.items())),
        "params": {**params, "char_ngram": list(params["char_ngram"])},
        "temperature": round(temperature, 4),
        "review": review,
        "features": {"words": len(model.word_vocab), "char_ngrams": len(model.char_vocab),
                     "segmenter_words": len(model.segmenter.freq)},
        "cross_validation": cv_summary,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "train_seconds": round(time.time() - started, 1),
    }
    if review is None:
        del model.metadata["review"]
    return model
