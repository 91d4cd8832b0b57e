"""Playback of the controller's runs: play, pause, step, speed (a mixin of
:class:`gdviz.ui.controller.Controller`, which owns the iteration and the signals)."""

from __future__ import annotations


class PlaybackClock:
    """Plays the runs at :attr:`speed` steps per second.

    The host provides ``iteration``, ``max_iteration``, ``set_iteration``, ``speed``,
    ``playingChanged`` and the ``_timer`` (a QTimer calling :meth:`_on_timer_timeout`),
    ``_clock`` (a QElapsedTimer), ``_play_origin`` and ``_ticking`` it creates.
    """

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def step_forward(self) -> None:
        self.set_iteration(self.iteration + 1)

    def step_back(self) -> None:
        self.set_iteration(self.iteration - 1)

    def reset(self) -> None:
        self.pause()
        self.set_iteration(0)

    def set_speed(self, steps_per_second: float) -> None:
        """Playback speed, 1–120 steps per second."""
        self.speed = max(1.0, min(120.0, float(steps_per_second)))
        # Ticks at most once a frame; each tick shows the step the clock has reached, so the
        # speed holds even when drawing a frame takes longer than a tick.
        self._timer.setInterval(round(max(1000.0 / 60.0, 1000.0 / self.speed)))
        self._restart_clock()

    def _restart_clock(self) -> None:
        if self._clock.isValid():
            self._play_origin = (self.iteration, float(self._clock.elapsed()))

    def play(self) -> None:
        if self.playing:
            return
        if self.iteration >= self.max_iteration:
            self.set_iteration(0)
        self._clock.start()
        self.set_speed(self.speed)
        self._play_origin = (self.iteration, 0.0)
        self._timer.start()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _on_timer_timeout(self) -> None:
        k0, t0 = self._play_origin
        due = k0 + int((self._clock.elapsed() - t0) * self.speed / 1000.0)
        if due > self.iteration:
            self._ticking = True
            try:
                self.set_iteration(due)
            finally:
                self._ticking = False
        if self.iteration >= self.max_iteration:
            self.pause()
