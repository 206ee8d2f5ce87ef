/**
 * The five ZeroMQ sockets of a Jupyter kernel, bound where the connection file says:
 * shell, control and stdin are ROUTERs (requests carry the client's identity), iopub is a
 * PUBLISHER, and heartbeat a REPLY socket that echoes whatever it receives.
 *
 * zeromq 6 allows one send in flight per socket, so each socket's sends go through a queue.
 * zeromq is loaded when the kernel starts, not when this file is imported: `lstm-notebook run`
 * never needs it.
 */
import type * as Zmq from 'zeromq';
import { addressOf, type Channel, type Connection } from './connection';

type Frames = Buffer[];

export interface KernelSockets {
  /** Calls `onMessage` for every multipart message on the channel, in order, without waiting for it. */
  listen(channel: 'shell' | 'control' | 'stdin', onMessage: (frames: Frames) => void): void;
  send(channel: 'shell' | 'control' | 'stdin' | 'iopub', frames: Frames): Promise<void>;
  close(): void;
}

export async function bindSockets(connection: Connection, log: (message: string) => void): Promise<KernelSockets> {
  const zmq = (await import('zeromq')) as typeof Zmq;
  // A second to deliver what is queued when a socket closes (the shutdown_reply, the last outputs).
  const linger = 1000;
  const routers = {
    shell: new zmq.Router({ linger }),
    control: new zmq.Router({ linger }),
    stdin: new zmq.Router({ linger }),
  };
  const iopub = new zmq.Publisher({ linger });
  const heartbeat = new zmq.Reply({ linger: 0 });
  const all: Record<Channel, Zmq.Socket> = { ...routers, iopub, hb: heartbeat };
  for (const [channel, socket] of Object.entries(all) as [Channel, Zmq.Socket][])
    await socket.bind(addressOf(connection, channel));

  void (async () => {
    try {
      for await (const frames of heartbeat) await heartbeat.send(frames);
    } catch (error) {
      if (!heartbeat.closed) log(`heartbeat stopped: ${(error as Error).message}`);
    }
  })();

  const queues = new Map<Zmq.Socket, Promise<void>>();
  const sendOn = (socket: Zmq.Socket & { send(frames: Frames): Promise<void> }, frames: Frames) => {
    const next = (queues.get(socket) ?? Promise.resolve()).then(() => socket.send(frames));
    const settled = next.catch((error: Error) => {
      if (!socket.closed) log(`a message could not be sent: ${error.message}`);
    });
    queues.set(socket, settled);
    return settled;
  };

  return {
    listen(channel, onMessage) {
      const socket = routers[channel];
      void (async () => {
        try {
          for await (const frames of socket) onMessage(frames);
        } catch (error) {
          if (!socket.closed) log(`the ${channel} channel stopped: ${(error as Error).message}`);
        }
      })();
    },
    send(channel, frames) {
      return sendOn(channel === 'iopub' ? iopub : routers[channel], frames);
    },
    close() {
      for (const socket of Object.values(all)) socket.close();
    },
  };
}
