"""Wire the engine's collaborators together once per process (web app, CLI, workers)."""
from __future__ import annotations

from dataclasses import dataclass

from workflows.core.calendar_source import CalendarSource, parse_office_close
from workflows.core.clock import Clock, SystemClock
from workflows.core.config import Settings, load_settings
from workflows.core.db import make_engine
from workflows.core.store import Store
from workflows.engine.case_engine import CaseEngine
from workflows.engine.registry import KindRegistry
from workflows.engine.specs import SpecLibrary
from workflows.engine.workflow_cache import WorkflowCache
from workflows.kinds import kind_registry
from workflows.notifications.channels import Courier


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    store: Store
    specs: SpecLibrary
    calendar: CalendarSource
    engine: CaseEngine
    courier: Courier = Courier()  # e-mail / SMS of notifications (CREDIT_CASES_SMTP_*, _SMS_GATEWAY)

    def close(self) -> None:
        self.store.engine.dispose()


def build_runtime(settings: Settings | None = None, clock: Clock | None = None,
                  kinds: KindRegistry | None = None) -> Runtime:
    """Assumes the schema is migrated (`credit-cases db upgrade`); `kinds` defaults to `KINDS`."""
    settings = settings or load_settings()
    clock = clock or SystemClock()
    store = Store(make_engine(settings.database_url))
    specs = SpecLibrary(settings.bpmn_dir)
    calendar = CalendarSource(store, clock, office_close=parse_office_close(settings.office_close))
    engine = CaseEngine(store, specs, clock, calendar, public_url=settings.public_url, kinds=kinds or kind_registry(),
                        workflow_cache=WorkflowCache(settings.workflow_cache))
    return Runtime(settings, clock, store, specs, calendar, engine, Courier.from_settings(settings))
