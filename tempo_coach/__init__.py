"""Tempo Coach: a terminal tempo coach for eccentric hamstring training."""

__version__ = "0.1.0"
