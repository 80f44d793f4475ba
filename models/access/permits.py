"""Who may take each kind of action (SPEC §4): the role half of authorization, as data.

The permission classes of the schema and the one scope function below the schema read the same
permits, so a role's rights are written down once.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.shared.enums import Role


@dataclass(frozen=True)
class Permit:
    """The roles that may take one kind of action, and what any other caller is told."""

    roles: frozenset[Role]
    refusal: str

    def allows(self, role: Role) -> bool:
        return role in self.roles


CDE_STAFF = Permit(frozenset({Role.CDE_ADMIN, Role.CDE_ANALYST}), "Only CDE staff may see this.")
CDE_ADMINISTRATION = Permit(frozenset({Role.CDE_ADMIN}), "Only a CDE administrator may do this.")
SEE_STUDENTS = Permit(
    frozenset({Role.CDE_ADMIN, Role.SELPA, Role.LEA}), "Your role may not see student records."
)
"""Student PII: CDE administrators, the LEA's SELPA and the LEA itself."""
ENTER_COUNTS = Permit(
    frozenset({Role.SELPA, Role.LEA}), "Only the LEA or its SELPA may enter and submit counts."
)
"""Save, submit and the worksheet: the LEA for itself, its SELPA on its behalf."""
REVIEW_SUBMISSIONS = Permit(
    frozenset({Role.SELPA}), "Only the LEA's SELPA may approve or reject its submission."
)
ADMINISTER_SUBMISSIONS = Permit(
    frozenset({Role.CDE_ADMIN}), "Only a CDE administrator may do this."
)
"""Reopen a submission, grant an extension."""
ADMINISTER_CYCLES = Permit(
    frozenset({Role.CDE_ADMIN}), "Only a CDE administrator may open or close a cycle."
)
