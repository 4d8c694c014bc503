"""Who may do what: roles (viewer < analyst < editor), the signed-in or local user, and the check every write makes.

- A **viewer** reads the published map, events, briefing and exports.
- An **analyst** can also ingest reports, import files and save drafts (events and new zones), and save views.
- An **editor** can also review drafts (publish, edit and publish, retract), edit zones, replace or delete
  saved views and manage users.

Roles are kept in the database (``users`` table, ``python -m geo users add EMAIL --role editor``); a
signed-in user the table does not name is a viewer.  Without sign-in configured the app runs in *local
mode*: one person on a laptop, every role, named from the operating-system user (:data:`LOCAL`); the
command line acts as that local user too (whoever can run it can open the database file anyway).

Every service function (:mod:`geo.services`) calls :func:`require` before writing, so a crafted request
cannot do what the page hides.  No Streamlit here.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from enum import IntEnum

from geo.schema import ValidationError


class Role(IntEnum):
    """The roles, each allowed what the one below it is and more."""

    VIEWER = 1
    ANALYST = 2
    EDITOR = 3

    @property
    def label(self) -> str:
        """The role's name as typed and shown: viewer, analyst, editor."""
        return self.name.lower()


ROLES = tuple(r.label for r in Role)  # ("viewer", "analyst", "editor")

# What each action needs at least.
ACTIONS: dict[str, Role] = {
    "ingest": Role.ANALYST,  # save events extracted from reports (as drafts)
    "import": Role.ANALYST,  # import an ACLED or UCDP file (published: the source reviewed it)
    "draft": Role.ANALYST,  # save a draft event or a new draft zone
    "save_view": Role.ANALYST,  # save a new named view
    "review": Role.EDITOR,  # see the review queue
    "publish": Role.EDITOR,  # publish a draft, or edit and publish
    "retract": Role.EDITOR,  # retract an event or zone, with a reason
    "edit_zone": Role.EDITOR,  # edit a stored zone (a new version, published)
    "manage_views": Role.EDITOR,  # replace or delete a saved view
    "manage_users": Role.EDITOR,  # add, change or remove users' roles
}
ACTION_TEXT = {
    "ingest": "save events from reports", "import": "import files", "draft": "save drafts",
    "save_view": "save views", "review": "review drafts", "publish": "publish events or zones",
    "retract": "retract events or zones", "edit_zone": "edit control zones",
    "manage_views": "replace or delete saved views", "manage_users": "manage users",
}


class PermissionDenied(ValidationError):
    """The user's role does not allow the action: nothing was done.

    A :class:`~geo.schema.ValidationError` (field ``role``), so pages and the CLI show it as one sentence.
    """

    def __init__(self, user: User, action: str) -> None:
        need = ACTIONS[action].label
        super().__init__("role", f"{user.display} is {_article(user.role.label)} {user.role.label}; only "
                                 f"{_article(need)} {need} or above may {ACTION_TEXT[action]}")
        self.user, self.action = user, action


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


@dataclass(frozen=True)
class User:
    """Someone using the app: signed in (email from the provider, role from the store) or the local user."""

    email: str
    name: str = ""
    role: Role = Role.VIEWER
    local: bool = False

    @property
    def display(self) -> str:
        """How the user is named in messages: the name and email, or the local login name."""
        if self.local or not self.name or self.name == self.email:
            return self.email
        return f"{self.name} <{self.email}>"

    @property
    def who(self) -> str:
        """What the audit trail and the saved-by columns record: the email (the local login name locally)."""
        return self.email

    def can(self, action: str) -> bool:
        """Whether the role allows ``action`` (a key of :data:`ACTIONS`)."""
        return self.role >= ACTIONS[action]


def parse_role(value: str) -> Role:
    """A role from its name (case-insensitive); :class:`ValidationError` naming the roles otherwise."""
    try:
        return Role[str(value).strip().upper()]
    except KeyError:
        raise ValidationError("role", f"“{value}” is not a role; roles are {', '.join(ROLES)}") from None


def normalise_email(email: str) -> str:
    """The email as stored and compared: trimmed and lower-cased; :class:`ValidationError` if it is not one."""
    value = str(email or "").strip().lower()
    if "@" not in value or value.startswith("@") or value.endswith("@") or any(c.isspace() for c in value):
        raise ValidationError("email", f"“{email}” is not an email address")
    return value


def login_name() -> str:
    """The local user's name: ``$CONFLICTMAP_USER``, else the operating system's login name."""
    try:
        return os.environ.get("CONFLICTMAP_USER") or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's anonymous uid)
        return "unknown"


def local_user() -> User:
    """The local-mode user: every role, named from the operating system (the app without sign-in, the CLI)."""
    name = login_name()
    return User(email=name, name=name, role=Role.EDITOR, local=True)


def require(user: User, action: str) -> User:
    """``user`` if their role allows ``action``; raises :class:`PermissionDenied` otherwise.

    There is no default user: every caller says who acts (the CLI and scripts pass :func:`local_user`).
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if not isinstance(user, User):
        raise TypeError(f"require() needs a User, not {type(user).__name__}")
    if not user.can(action):
        raise PermissionDenied(user, action)
    return user


def signed_in_user(email: str, name: str | None, stored_role: str | None) -> User:
    """The user the provider signed in, with the role the store keeps for them (a viewer when none)."""
    email = normalise_email(email)
    return User(email=email, name=(name or "").strip() or email,
                role=parse_role(stored_role) if stored_role else Role.VIEWER)
