"""Projects, and the pseudonymous people who rate them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from coeval.exceptions import NotFoundError, StoreError
from coeval.ids import check_project_id
from coeval.store import schema as s
from coeval.store.base import Project, StoreBase, utcnow
from coeval.text import clean


class Projects(StoreBase):
    def add_project(
        self, project_id: str, name: str, frameworks: Sequence[str], actor: str | None = None
    ) -> Project:
        """Add a project. Its id must be a safe id (see coeval.ids): it becomes part of file
        names and links."""
        check_project_id(project_id)
        name = clean(name)
        if not name:
            raise StoreError("a project needs a name; give it with --name")
        with self.write() as conn:
            found = conn.execute(select(s.projects.c.id).where(s.projects.c.id == project_id))
            if found.first() is not None:
                raise StoreError(
                    f"project {project_id!r} already exists; see `coeval project list`"
                )
            conn.execute(
                s.projects.insert().values(
                    id=project_id, name=name, active=True, created_at=utcnow()
                )
            )
            conn.execute(
                s.project_frameworks.insert(),
                [{"project_id": project_id, "framework_id": f} for f in frameworks],
            )
            self.audit(
                conn,
                "add",
                "project",
                project_id,
                {"name": name, "frameworks": list(frameworks)},
                actor,
            )
        return Project(project_id, name, tuple(frameworks), True)

    def projects(self, only: str | None = None) -> list[Project]:
        """Every project (or only the one with id ``only``), by id."""
        chosen = select(s.projects).order_by(s.projects.c.id)
        linked = select(s.project_frameworks)
        if only is not None:
            chosen = chosen.where(s.projects.c.id == only)
            linked = linked.where(s.project_frameworks.c.project_id == only)
        with self.read() as conn:
            rows = conn.execute(chosen).all()
            links = conn.execute(linked).all()
        frameworks: dict[str, list[str]] = {}
        for project_id, framework_id in links:
            frameworks.setdefault(project_id, []).append(framework_id)
        return [
            Project(r.id, r.name, tuple(sorted(frameworks.get(r.id, []))), bool(r.active))
            for r in rows
        ]

    def project(self, project_id: str) -> Project:
        for project in self.projects(only=project_id):
            if project.id == project_id:
                return project
        raise NotFoundError(
            f"no project {project_id!r}; see `coeval project list`, or add it with "
            f"`coeval project add {project_id} --name NAME`"
        )
