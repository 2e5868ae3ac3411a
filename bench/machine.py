"""The line every benchmark prints first: which machine, which processor and when."""

from __future__ import annotations

import datetime
import os
import platform


def cpu_model() -> str:
    """The processor's model name, as the kernel reports it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line() -> str:
    """``<CPU model>, <N> cores, no GPU used, <date>``: say it with every table."""
    return f"{cpu_model()}, {os.cpu_count()} cores, no GPU used, {datetime.date.today().isoformat()}"
