"""A reply an asyncio poll never sees: pyzmq + asyncio alone, no kernel, no notebook.

jupyter_client's ``Session.send`` sends on a *blocking shadow* of the client's asyncio shell
socket. A ZMQ socket's FD is edge-triggered: any operation on the socket (send, recv,
``getsockopt(EVENTS)``) consumes the pending signal. pyzmq's asyncio socket re-checks
``EVENTS`` after its own sends, but a send on a shadow bypasses that. So when a reply reaches
the socket while the event loop is busy, and the loop then sends on the shadow (nbclient does,
for every output routed to an Output widget), the FD never fires again: the pending poll
waits for its time-out with the reply sitting in the socket.

    python benchmarks/stall_repro/missed_wakeup.py           # the missed wake-up
    python benchmarks/stall_repro/missed_wakeup.py --recheck # re-check EVENTS after the send

Prints one line: what the poll returned, after how long, and whether EVENTS says POLLIN.
"""
import argparse
import asyncio
import time

import zmq
import zmq.asyncio


async def main(recheck: bool, timeout: float) -> None:
    context = zmq.asyncio.Context()
    client = context.socket(zmq.DEALER)          # nbclient's shell socket
    kernel = zmq.Context.instance().socket(zmq.ROUTER)  # the kernel's shell socket
    port = kernel.bind_to_random_port("tcp://127.0.0.1")
    client.connect(f"tcp://127.0.0.1:{port}")

    client.send(b"execute_request")               # the cell starts
    identity, _ = kernel.recv_multipart()
    waiting = asyncio.ensure_future(client.poll(int(timeout * 1000)))  # wait for the reply
    await asyncio.sleep(0.2)                      # the poll is registered on the FD

    kernel.send_multipart([identity, b"execute_reply"])  # the cell ends
    time.sleep(0.2)      # the loop is busy (an iopub message being handled): reply arrives
    zmq.Socket.shadow(client.underlying).send(b"comm_msg")  # Session.send, as nbclient's
    if recheck:                                   # OutputWidget.sync_state does
        client.get(zmq.EVENTS)  # pyzmq's asyncio socket schedules its handler if POLLIN

    start = time.perf_counter()
    ready = await waiting
    events = client.get(zmq.EVENTS)
    print(f"poll returned {ready} after {time.perf_counter() - start:.1f} s; "
          f"EVENTS has POLLIN: {bool(events & zmq.POLLIN)}"
          + (" (the reply was in the socket all along)" if not ready else ""))
    client.close(0)
    kernel.close(0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recheck", action="store_true",
                        help="after the shadow send, read EVENTS through the asyncio socket")
    parser.add_argument("--timeout", type=float, default=5.0, help="the poll's time-out (s)")
    args = parser.parse_args()
    asyncio.run(main(args.recheck, args.timeout))
