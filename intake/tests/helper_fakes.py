"""Deciders for tests of the import's helper process (intake.import_helper sets ANJU_IMPORT_HELPER there):
importable in it, so they import no Django model."""
import os
import time

from intake.hotline_import import RowDecider


class InHelper(RowDecider):
    """Decides as `real` does, except that in the helper process it raises (`how="raise"`), ends the process
    (`how="exit"`), never answers (`how="hang"`) or cannot even be loaded (`how="load"`); and outside it, it first waits `slow` seconds per chunk, so that a test's small file is not
    all decided by the importing process before the helper has started."""

    def __init__(self, real: RowDecider, how: str = "", slow: float = 0.3):
        self.__dict__.update(real.__getstate__())
        self._addresses = {}
        self.how, self.slow = how, slow

    def __setstate__(self, state):
        if os.environ.get("ANJU_IMPORT_HELPER") == "1" and state.get("how") == "load":
            raise ImportError("cannot import the project here")
        super().__setstate__(state)

    def decide(self, items):
        if os.environ.get("ANJU_IMPORT_HELPER") != "1":
            time.sleep(self.slow)
        elif self.how == "raise":
            raise ValueError("模型文件损坏 / model file damaged")
        elif self.how == "exit":
            os._exit(3)
        elif self.how == "hang":
            time.sleep(3600)
        return super().decide(items)
