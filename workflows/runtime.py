"""Wire the engine's collaborators together once per process (web app, CLI, workers)."""
from __future__ import annotations

from dataclasses import dataclass

from .calendar_source import CalendarSource, parse_office_close
from .clock import Clock, SystemClock
from .config import Settings, load_settings
from .db import make_engine
from . import commitment, interview, objection, repair  # noqa: F401  (register the task forms)
from .engine import CaseEngine
from .specs import SpecLibrary
from .store import Store


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    store: Store
    specs: SpecLibrary
    calendar: CalendarSource
    engine: CaseEngine

    def close(self) -> None:
        self.store.engine.dispose()


def build_runtime(settings: Settings | None = None, clock: Clock | None = None) -> Runtime:
    """Assumes the schema is migrated (`credit-cases db upgrade`)."""
    settings = settings or load_settings()
    clock = clock or SystemClock()
    store = Store(make_engine(settings.database_url))
    specs = SpecLibrary(settings.bpmn_dir)
    calendar = CalendarSource(store, clock, office_close=parse_office_close(settings.office_close))
    engine = CaseEngine(store, specs, clock, calendar, public_url=settings.public_url)
    return Runtime(settings, clock, store, specs, calendar, engine)
