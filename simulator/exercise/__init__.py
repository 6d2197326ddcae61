"""The exercise: scenario + seed + a typed command log, as one pure object.

The live server, a replay, a what-if fork, a report and a notebook all
drive it the same way (simulated time only; no wall clock, no I/O).
"""
