"""Fingerprints for deduplication: an exact content hash and a MinHash signature whose
bands find syndicated copies (edited headline, added attribution, trimmed paragraphs).

The bands are stored in the database (see the articles app), so candidate lookup is an
indexed query that works the same for every worker and survives restarts; datasketch
computes the signature.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

from loa.text.folding import fold_chars

PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
SHINGLE = 4
# Estimated Jaccard similarity above which two bodies are copies of one article; with
# 32 bands of 4 rows the banding catches pairs from about 0.4 upward.
NEAR_DUPLICATE = 0.5

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold_chars(text))


def content_hash(body: str) -> str:
    """Equal for bodies that differ only in case, diacritics, punctuation and spacing."""
    return hashlib.sha256(" ".join(tokens(body)).encode("utf-8")).hexdigest()


def shingles(body: str) -> set[bytes]:
    words = tokens(body)
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def signature(body: str) -> np.ndarray:
    minhash = MinHash(num_perm=PERMUTATIONS, seed=20211)
    grams = shingles(body)
    if grams:
        minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def signature_bytes(values: np.ndarray) -> bytes:
    return values.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


def bands(values: np.ndarray) -> list[int]:
    """One signed 63-bit key per band, for an indexed BIGINT column."""
    out = []
    small = values.astype("<u4")
    for band in range(BANDS):
        digest = hashlib.blake2b(small[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True) >> 1)
    return out


def similarity(a: np.ndarray | bytes, b: np.ndarray | bytes) -> float:
    first = signature_from_bytes(a) if isinstance(a, bytes) else a
    second = signature_from_bytes(b) if isinstance(b, bytes) else b
    return float(np.mean(first.astype("<u4") == second.astype("<u4")))


def best_match(values: np.ndarray, candidates: Sequence[tuple[int, bytes]]) -> tuple[int, float] | None:
    """The candidate (id, signature) most similar to `values`, if it is a near-duplicate."""
    best: tuple[int, float] | None = None
    for identifier, stored in candidates:
        score = similarity(values, stored)
        if score >= NEAR_DUPLICATE and (best is None or score > best[1]):
            best = (identifier, score)
    return best
