"""Periodic jobs declared by the apps. Each app registers its jobs in `AppConfig.ready`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class JobSpec:
    name: str
    task_path: str
    interval: timedelta


_SPECS: dict[str, JobSpec] = {}


def register(name: str, *, task_path: str, interval: timedelta) -> None:
    if interval.total_seconds() < 1:
        raise ValueError(f"periodic job {name!r}: interval must be at least one second")
    _SPECS[name] = JobSpec(name=name, task_path=task_path, interval=interval)


def specs() -> list[JobSpec]:
    return sorted(_SPECS.values(), key=lambda spec: spec.name)
