"""Facts about this edition of the book for its front page: version, source repository, contact.

The project has no published repository or contact address yet (no git remote, no
``repository-code`` in CITATION.cff). Rather than invent one, the front page says so; set the two
constants when they exist and the front page links them.
"""

from __future__ import annotations

from kommunenkat import __version__

REPOSITORY_URL: str | None = None
CONTACT: str | None = None


def version() -> str:
    return __version__


def repository_text() -> str:
    """Swedish MyST text for the front page: a link, or an honest statement that there is none."""
    if REPOSITORY_URL:
        return f"[{REPOSITORY_URL}]({REPOSITORY_URL})"
    return "ingen publicerad adress ännu; länken läggs här när källkoden publiceras"


def contact_text() -> str:
    if CONTACT:
        return CONTACT
    return (
        "projektgruppen bakom boken, via källkodsförrådet när det är publicerat. Frågor om "
        "rapportens innehåll besvaras av SKR (kontaktuppgifter finns i rapporten)"
    )
