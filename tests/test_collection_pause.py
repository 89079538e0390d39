"""collection_paused keeps the cyclic collector off for its block, nested or from two threads, and puts
it back as it found it."""

from __future__ import annotations

import gc
import threading

from achatsdesk.collection_pause import collection_paused


def test_the_collector_is_off_inside_and_back_after():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_an_error_inside_still_puts_it_back():
    try:
        with collection_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_threads_overlapping_keep_it_off_until_the_last_ends():
    inside, release = threading.Event(), threading.Event()

    def other():
        with collection_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collection_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause still runs
    release.set()
    thread.join(5)
    assert gc.isenabled()
