"""The domain core: pure Python that knows nothing of terminals or sound.

Read it top-down: models (the workout file format) → tempo (the notation) → timeline
(a workout compiled into timed segments); loading and errors turn files into those models.
"""
