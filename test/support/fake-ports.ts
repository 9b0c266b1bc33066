/** In-memory directories behind the apply ports: the fake beside the real adapters (STYLE rule 4). */
import type {
  AdAddressWrite,
  AdValues,
  ApplyPorts,
  ImmutableIdWrite,
  WriteOutcome,
} from "../../src/model/ports.js";

export class FakeDirectories implements ApplyPorts {
  readonly adObjects = new Map<string, AdValues>();
  readonly immutableIds = new Map<string, string | null>();
  adWrites = 0;
  /** Attributes of every object createObject made, by DN. */
  readonly created = new Map<string, Record<string, string[]>>();
  entraWrites = 0;
  /** Fails every AD write after this many (simulates a cut connection). */
  failAdWritesAfter = Infinity;

  ad = {
    readValues: (dn: string): Promise<AdValues | null> => {
      const values = this.adObjects.get(dn);
      return Promise.resolve(
        values ? { proxyAddresses: [...values.proxyAddresses], mail: values.mail } : null,
      );
    },
    createObject: (dn: string, attributes: Record<string, string[]>): Promise<WriteOutcome> =>
      this.createObject(dn, attributes),
    writeAddresses: (dn: string, write: AdAddressWrite): Promise<WriteOutcome> => {
      if (this.adWrites >= this.failAdWritesAfter) return Promise.reject(new Error("connection reset"));
      this.adWrites += 1;
      const current = this.adObjects.get(dn);
      if (!current) return Promise.resolve({ status: "failed", message: "noSuchObject" });
      const removeMissing = write.proxyAddresses?.remove.some((v) => !current.proxyAddresses.includes(v));
      const mailMoved = write.mail && write.mail.expected !== current.mail;
      if (removeMissing || mailMoved)
        return Promise.resolve({ status: "conflict", message: "noSuchAttribute" });
      const proxyAddresses = write.proxyAddresses
        ? [
            ...current.proxyAddresses.filter((v) => !write.proxyAddresses!.remove.includes(v)),
            ...write.proxyAddresses.add,
          ]
        : current.proxyAddresses;
      this.adObjects.set(dn, { proxyAddresses, mail: write.mail ? write.mail.next : current.mail });
      return Promise.resolve({ status: "applied" });
    },
  };

  createObject = (dn: string, attributes: Record<string, string[]>): Promise<WriteOutcome> => {
    if (this.adObjects.has(dn)) return Promise.resolve({ status: "conflict", message: "entryAlreadyExists" });
    this.adWrites += 1;
    this.created.set(dn, attributes);
    this.adObjects.set(dn, {
      proxyAddresses: attributes.proxyAddresses ?? [],
      mail: attributes.mail?.[0] ?? null,
    });
    return Promise.resolve({ status: "applied" });
  };

  entra = {
    readImmutableIds: (ids: string[]): Promise<Map<string, string | null>> =>
      Promise.resolve(
        new Map(
          ids.filter((id) => this.immutableIds.has(id)).map((id) => [id, this.immutableIds.get(id) ?? null]),
        ),
      ),
    writeImmutableIds: (items: ImmutableIdWrite[]): Promise<(WriteOutcome & { userId: string })[]> =>
      Promise.resolve(
        items.map((item) => {
          this.entraWrites += 1;
          this.immutableIds.set(item.userId, item.next);
          return { userId: item.userId, status: "applied" as const };
        }),
      ),
  };
}
