import net from 'node:net';

// Something accepts connections on the port (a server of ours or anyone's).
export const isPortOpen = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// This process could bind the port now (nothing listens there, on any address).
export const canListen = (port: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
