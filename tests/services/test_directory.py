"""The directory: who holds and backs up a role, changed whole or not at all."""

from __future__ import annotations

from dataclasses import replace

import pytest

from escalation_desk.domain.lint import lint
from escalation_desk.services.directory import (
    DirectoryService,
    NewPerson,
    NewRole,
    RoleCover,
    TeamSetup,
)
from escalation_desk.services.editing import ChangedElsewhereError
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.routing import RoutingService
from escalation_desk.store.db import Workspace

ROLE = "Payments on-call engineer"
AS_LOADED = RoleCover("Yusuf Kaya", "Grace Mwangi")


def codes_for(workspace: Workspace, role: str) -> set[str]:
    """The linter's findings about ``role`` in the directory."""
    return {
        f.code
        for f in lint(MatrixService(workspace).snapshot())
        if f.where.screen == "directory" and f.where.row == role
    }


def test_a_new_holder_and_backup_answer_the_routes_to_the_role(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    assert directory.cover(ROLE) == AS_LOADED
    directory.set_cover(ROLE, AS_LOADED, RoleCover("Grace Mwangi", "Wei Chen"))
    assert directory.cover(ROLE) == RoleCover("Grace Mwangi", "Wei Chen")
    answer = RoutingService(example_workspace).try_route("Payments")
    assert answer is not None
    assert (answer.rule.role, answer.person) == (ROLE, "Grace Mwangi")


def test_the_linter_sees_a_backup_removed_and_put_back(example_workspace: Workspace) -> None:
    directory = DirectoryService(example_workspace)
    directory.set_cover(ROLE, AS_LOADED, RoleCover("Yusuf Kaya", None))
    assert codes_for(example_workspace, ROLE) == {"role-no-backup"}
    directory.set_cover(ROLE, RoleCover("Yusuf Kaya", None), AS_LOADED)
    assert codes_for(example_workspace, ROLE) == set()


def test_a_vacant_role_is_an_error_until_someone_holds_it(example_workspace: Workspace) -> None:
    directory = DirectoryService(example_workspace)
    directory.set_cover(ROLE, AS_LOADED, RoleCover(None, "Grace Mwangi"))
    assert codes_for(example_workspace, ROLE) == {"role-no-holder"}
    answer = RoutingService(example_workspace).try_route("Payments")
    assert answer is not None
    assert answer.person == "Grace Mwangi"  # the backup answers


@pytest.mark.parametrize(
    ("cover", "message"),
    [
        (RoleCover("Yusuf Kaya", "Yusuf Kaya"), "Yusuf Kaya cannot back up a role they hold"),
        (RoleCover("Nobody Known", "Grace Mwangi"), "There is no person called Nobody Known"),
    ],
)
def test_a_cover_that_cannot_work_is_refused_and_nothing_changes(
    example_workspace: Workspace, cover: RoleCover, message: str
) -> None:
    directory = DirectoryService(example_workspace)
    with pytest.raises(ValueError, match=message):
        directory.set_cover(ROLE, AS_LOADED, cover)
    assert directory.cover(ROLE) == AS_LOADED


def test_a_cover_changed_in_another_window_is_not_overwritten(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    directory.set_cover(ROLE, AS_LOADED, RoleCover("Grace Mwangi", "Yusuf Kaya"))  # elsewhere
    with pytest.raises(ChangedElsewhereError, match="changed in another window"):
        directory.set_cover(ROLE, AS_LOADED, RoleCover("Yusuf Kaya", None))
    assert directory.cover(ROLE) == RoleCover("Grace Mwangi", "Yusuf Kaya")
    with pytest.raises(ChangedElsewhereError, match="The role Night owl was removed"):
        directory.set_cover("Night owl", AS_LOADED, AS_LOADED)


def test_people_are_listed_by_name(example_workspace: Workspace) -> None:
    people = DirectoryService(example_workspace).people()
    assert len(people) == 23
    assert people == sorted(people)
    assert "Grace Mwangi" in people


def test_someone_added_can_back_up_a_role_and_is_listed_with_their_team(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    added = directory.add_person(NewPerson("  Ana   Ruiz ", "Payments engineering", "ana@qp.io "))
    assert added == NewPerson("Ana Ruiz", "Payments engineering", "ana@qp.io")
    assert "Ana Ruiz" in directory.people()
    directory.set_cover(ROLE, AS_LOADED, RoleCover("Yusuf Kaya", "Ana Ruiz"))
    people = {p.name: p for p in MatrixService(example_workspace).snapshot().people}
    assert (people["Ana Ruiz"].team, people["Ana Ruiz"].email) == (
        "Payments engineering",
        "ana@qp.io",
    )


@pytest.mark.parametrize(
    ("person", "message"),
    [
        (NewPerson("  "), "A person needs a name"),
        (NewPerson("grace mwangi"), "There is already someone called Grace Mwangi"),
        (NewPerson("Ana Ruiz", "Night shift"), "There is no team called Night shift"),
        (NewPerson("Ana Ruiz", email="Ana Ruiz"), "Ana Ruiz is not an e-mail address"),
    ],
)
def test_someone_who_cannot_be_added_is_refused_and_nothing_changes(
    example_workspace: Workspace, person: NewPerson, message: str
) -> None:
    directory = DirectoryService(example_workspace)
    with pytest.raises(ValueError, match=message):
        directory.add_person(person)
    assert len(directory.people()) == 23


def test_someone_is_removed_only_when_nothing_names_them(example_workspace: Workspace) -> None:
    directory = DirectoryService(example_workspace)
    directory.add_person(NewPerson("Ana Ruiz"))
    directory.remove_person("Ana Ruiz")
    assert "Ana Ruiz" not in directory.people()
    with pytest.raises(ValueError, match="Grace Mwangi is still named in the workspace"):
        directory.remove_person("Grace Mwangi")
    with pytest.raises(ValueError, match="Mateo Rossi is still named in the workspace"):
        directory.remove_person("Mateo Rossi")  # in no role, but on an escalation
    assert {"Grace Mwangi", "Mateo Rossi"} <= set(directory.people())


def test_a_new_role_can_take_a_routing_rule_and_is_kept_while_it_does(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    cover = RoleCover("Grace Mwangi", "Wei Chen")
    added = directory.add_role(NewRole(" Database  on-call ", "Infra / SRE", cover))
    assert added == NewRole("Database on-call", "Infra / SRE", cover)
    assert directory.cover("Database on-call") == cover
    routing = RoutingService(example_workspace)
    record = routing.rules()[1]  # module Database
    routing.update_rule(record, replace(record.rule, role="Database on-call"))
    with pytest.raises(ValueError, match="The role Database on-call is still used"):
        directory.remove_role("Database on-call")
    routing.update_rule(routing.rules()[1], record.rule)
    directory.remove_role("Database on-call")
    assert "Database on-call" not in {
        r.name for r in MatrixService(example_workspace).snapshot().roles
    }


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (NewRole(""), "A role needs a name"),
        (NewRole("dev lead"), "There is already a role called Dev Lead"),
        (NewRole("Night desk", "Night shift"), "There is no team called Night shift"),
        (NewRole("Night desk", cover=RoleCover("Wei Chen", "Wei Chen")), "cannot back up"),
        (NewRole("Night desk", cover=RoleCover("Nobody Known", None)), "no person called"),
    ],
)
def test_a_role_that_cannot_be_added_is_refused_and_nothing_changes(
    example_workspace: Workspace, role: NewRole, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DirectoryService(example_workspace).add_role(role)
    assert len(MatrixService(example_workspace).snapshot().roles) == 13


def test_a_team_put_on_round_the_clock_hours_clears_the_calendar_finding(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    team = "Product management"
    assert directory.calendars() == ["Business hours"]
    office = directory.team_setup(team)
    assert office == TeamSetup(3, "Business hours")

    def mismatches() -> int:
        findings = lint(MatrixService(example_workspace).snapshot())
        return sum(f.code == "calendar-mismatch" for f in findings)

    assert mismatches() == 1
    directory.set_team_setup(team, office, TeamSetup(2, None))
    assert directory.team_setup(team) == TeamSetup(2, None)
    assert mismatches() == 0
    with pytest.raises(ChangedElsewhereError, match="tier or hours was changed"):
        directory.set_team_setup(team, office, TeamSetup(3, None))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (TeamSetup(0, None), "A support tier is 1 to 9"),
        (TeamSetup(10, None), "cannot be tier 10"),
        (TeamSetup(2, "Night shift"), "There is no calendar called Night shift"),
    ],
)
def test_a_team_setup_that_cannot_be_is_refused_and_nothing_changes(
    example_workspace: Workspace, setup: TeamSetup, message: str
) -> None:
    directory = DirectoryService(example_workspace)
    before = directory.team_setup("Backend")
    with pytest.raises(ValueError, match=message):
        directory.set_team_setup("Backend", before, setup)
    assert directory.team_setup("Backend") == before


def test_names_are_compared_as_a_reader_would_accents_and_all(
    example_workspace: Workspace,
) -> None:
    directory = DirectoryService(example_workspace)
    directory.add_person(NewPerson("Émile Durand"))
    with pytest.raises(ValueError, match="There is already someone called Émile Durand"):
        directory.add_person(NewPerson("émile durand"))
    with pytest.raises(ValueError, match="A name is at most 120 characters"):
        directory.add_role(NewRole("On-call " * 20))
    assert directory.people().count("Émile Durand") == 1
