"""schema.org ClaimReview, as search engines' fact-check tools read it. Pure: plain values
in, a JSON-able dict out (https://schema.org/ClaimReview)."""

from __future__ import annotations

import json
from datetime import datetime

REQUIRED = ("@context", "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished")

# Rating scale: 1 (false) .. 5 (true), as Google's fact-check markup recommends.
BEST, WORST = 5, 1


def build(
    *,
    url: str,
    claim: str,
    verdict: str,
    rating: int,
    published: datetime,
    organisation: str,
    organisation_url: str,
    claim_author: str = "",
    first_seen: datetime | None = None,
    first_appearance: str = "",
    language: str = "id",
) -> dict:
    item: dict = {"@type": "Claim"}
    item["author"] = {"@type": "Organization", "name": claim_author or "Pesan berantai"}
    if first_seen is not None:
        item["datePublished"] = first_seen.date().isoformat()
    if first_appearance:
        item["firstAppearance"] = {"@type": "CreativeWork", "url": first_appearance}
        item["appearance"] = [{"@type": "CreativeWork", "url": first_appearance}]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": organisation, "url": organisation_url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": verdict,
        },
        "datePublished": published.date().isoformat(),
        "inLanguage": language,
    }


def problems(data: dict) -> list[str]:
    """What a ClaimReview lacks or gets wrong (empty when valid)."""
    found = [f"missing {key}" for key in REQUIRED if not data.get(key)]
    if data.get("@type") != "ClaimReview":
        found.append("@type must be ClaimReview")
    rating = data.get("reviewRating") or {}
    if not rating.get("alternateName"):
        found.append("reviewRating.alternateName missing")
    value = rating.get("ratingValue")
    if not isinstance(value, int) or not WORST <= value <= BEST:
        found.append("reviewRating.ratingValue out of range")
    if (data.get("itemReviewed") or {}).get("@type") != "Claim":
        found.append("itemReviewed must be a Claim")
    if (data.get("author") or {}).get("@type") != "Organization":
        found.append("author must be an Organization")
    return found


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/ld+json">: no way to close the tag."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
