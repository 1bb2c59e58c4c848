"""What the numbers were measured on, saved next to them."""

from __future__ import annotations

import os
import platform
import sys
import time

from ._peers import package_version

__all__ = ["machine_info"]

_PACKAGES = ("sse_core", "httpx-sse", "httpx", "writer-sdk", "openai", "sseclient-py")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                name, _, value = line.partition(":")
                if name.strip() == "model name":
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, object]:
    """CPU, Python and package versions, load at start."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_build": sys.version,
        "packages": {name: package_version(name) for name in _PACKAGES},
        "load_average": load,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
