import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

/**
 * The address of this machine that packets to `address` leave from: the one a dock at that address
 * reaches this machine at. A connected UDP socket asks the kernel's routing table and sends nothing.
 */
export async function localAddressToward(address: string): Promise<string | undefined> {
  const family = isIP(address);
  if (family === 0) return undefined;
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(9, address, () => resolve());
    });
    return socket.address().address;
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}
