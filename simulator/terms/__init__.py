"""The terms every layer speaks: asset kinds, durations, calendar time and the
German texts of the library's messages. Imports nothing else of the simulator."""
