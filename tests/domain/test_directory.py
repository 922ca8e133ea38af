"""Who answers for a named role: its holder, else its backup."""

from escalation_desk.domain.directory import Role

INFRA_LEAD = Role("Infra on-call lead", "Infra / SRE", holder="Dana Ruiz", backup="Omar Haddad")


def test_the_holder_answers_when_present() -> None:
    assert INFRA_LEAD.on_duty() == "Dana Ruiz"


def test_the_backup_answers_when_the_holder_is_away() -> None:
    assert INFRA_LEAD.on_duty(away=frozenset({"Dana Ruiz"})) == "Omar Haddad"


def test_nobody_answers_when_both_are_away_or_the_role_is_vacant() -> None:
    assert INFRA_LEAD.on_duty(away=frozenset({"Dana Ruiz", "Omar Haddad"})) is None
    assert Role("Security lead", None, holder=None).on_duty() is None
