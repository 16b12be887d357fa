// Both stores, ready for a test suite: memory, and DynamoDB against dynalite started in this
// process on a loopback port (a real DynamoDB wire protocol, no mocks).
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { dynamoClient } from '../store/dynamodb-client.js';
import { DynamoStore } from '../store/dynamodb.js';
import { MemoryStore } from '../store/memory.js';
import type { QuizStore } from '../store/store.js';

export interface TestStore {
  store: QuizStore;
  close(): Promise<void>;
}

export const storeKinds = ['memory', 'dynamodb'] as const;

export async function startStore(kind: (typeof storeKinds)[number]): Promise<TestStore> {
  return kind === 'memory' ? { store: new MemoryStore(), close: async () => {} } : startDynalite();
}

/** The table the action's renderer creates: string keys pk and sk, on demand. */
export async function createTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

export async function startDynalite(): Promise<TestStore & { endpoint: string }> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = testClient(endpoint, 5000);
  await createTable(client, 'pubquiz');
  return {
    endpoint,
    store: new DynamoStore(client, 'pubquiz'),
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The client the server makes, pointed at a loopback endpoint with test credentials. */
export function testClient(endpoint: string, callMs: number): DynamoDBClient {
  return dynamoClient(
    { endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    { callMs },
  );
}

/** A loopback endpoint that accepts connections and never answers: a store that hangs. */
export async function startSilentEndpoint(): Promise<{
  endpoint: string;
  /** Resolves once a client has connected: a request is in flight. */
  connected: Promise<void>;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connect!: () => void;
  const connected = new Promise<void>((resolve) => (connect = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    connect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connected,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A store of each kind that takes requests and never answers them: memory with every call held,
 * DynamoDB at a silent endpoint. `inFlight` resolves once the first call has reached it.
 */
export async function startHeldStore(
  kind: (typeof storeKinds)[number],
  callMs = 30_000,
): Promise<TestStore & { inFlight: Promise<void> }> {
  if (kind === 'memory') {
    let enter!: () => void;
    const inFlight = new Promise<void>((resolve) => (enter = resolve));
    const held = () => {
      enter();
      return new Promise(() => {});
    };
    return { store: new Proxy(new MemoryStore(), { get: () => held }), inFlight, close: async () => {} };
  }
  const silent = await startSilentEndpoint();
  const client = testClient(silent.endpoint, callMs);
  return {
    store: new DynamoStore(client, 'pubquiz', callMs),
    inFlight: silent.connected,
    close: async () => {
      client.destroy();
      await silent.close();
    },
  };
}
