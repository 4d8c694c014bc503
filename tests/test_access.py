"""Roles and the permission check every service makes (geo/access.py)."""
from __future__ import annotations

import pytest

from geo import access
from geo.access import ACTIONS, PermissionDenied, Role, User
from geo.schema import ValidationError


def test_each_role_may_do_what_the_one_below_may_and_more() -> None:
    allowed = {role: {a for a in ACTIONS if User("x@y.org", role=role).can(a)} for role in Role}
    assert allowed[Role.VIEWER] == set()
    assert allowed[Role.ANALYST] == {"ingest", "import", "draft", "save_view"}
    assert allowed[Role.EDITOR] == set(ACTIONS)


def test_require_refuses_with_one_sentence_naming_the_user_and_the_role_needed() -> None:
    viewer = User("vera@example.org", "Vera", Role.VIEWER)
    with pytest.raises(PermissionDenied) as caught:
        access.require(viewer, "publish")
    assert str(caught.value) == ("role: Vera <vera@example.org> is a viewer; only an editor or above may publish "
                                 "events or zones")
    assert isinstance(caught.value, ValidationError)  # pages and the CLI show it as they show any refusal
    analyst = User("amadou@example.org", role=Role.ANALYST)
    assert access.require(analyst, "ingest") is analyst
    with pytest.raises(PermissionDenied, match="amadou@example.org is an analyst; only an editor"):
        access.require(analyst, "manage_views")


def test_there_is_no_default_user_and_no_unknown_action() -> None:
    with pytest.raises(TypeError):
        access.require(None, "ingest")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        access.require(access.local_user(), "launch")


def test_the_local_user_has_every_role_and_is_named_from_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_USER", "fatou")
    local = access.local_user()
    assert (local.email, local.role, local.local, local.who, local.display) == ("fatou", Role.EDITOR, True, "fatou",
                                                                               "fatou")
    assert all(local.can(a) for a in ACTIONS)


def test_a_signed_in_user_the_store_does_not_name_is_a_viewer() -> None:
    user = access.signed_in_user(" Ada@Example.ORG ", "Ada", None)
    assert (user.email, user.name, user.role, user.local) == ("ada@example.org", "Ada", Role.VIEWER, False)
    assert access.signed_in_user("ada@example.org", None, "analyst").role is Role.ANALYST
    assert access.signed_in_user("ada@example.org", "", "editor").name == "ada@example.org"


@pytest.mark.parametrize("bad", ["", "ada", "@example.org", "ada@", "a da@example.org"])
def test_an_email_must_be_one(bad: str) -> None:
    with pytest.raises(ValidationError, match="email"):
        access.normalise_email(bad)


def test_roles_are_read_case_insensitively_and_unknown_ones_refused() -> None:
    assert access.parse_role(" Editor ") is Role.EDITOR and Role.ANALYST.label == "analyst"
    with pytest.raises(ValidationError, match="roles are viewer, analyst, editor"):
        access.parse_role("admin")
