"""``jupyter nbconvert`` with the upstream fix proposed in benchmarks/README.md applied.

After each send on an asyncio channel (jupyter_client's ``Session.send`` uses a blocking
shadow of the socket, bypassing pyzmq's own re-check), read ``EVENTS`` through the asyncio
socket, so pyzmq schedules its handler when a message is already waiting. Same arguments as
``jupyter nbconvert``:

    python benchmarks/stall_repro/nbconvert_recheck.py --to notebook --execute NOTEBOOK
"""
import sys

import zmq
from jupyter_client.channels import AsyncZMQSocketChannel


def send(self, msg):
    self.session.send(self.socket, msg)
    self.socket.get(zmq.EVENTS)  # the send may have consumed the FD's edge: look again


AsyncZMQSocketChannel.send = send

if __name__ == "__main__":
    from nbconvert.nbconvertapp import main

    sys.exit(main())
