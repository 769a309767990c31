"""Helpers shared by the tests, the scale test and the benchmarks: the app server, the browser
moves and small readers of a Plan. Nothing here is a test."""
