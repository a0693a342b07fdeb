// Before the clients start (and before any fault): each tenant's log and exec sandboxes,
// created through the adapter and waited for until running.

import { auth, type Soak } from "./_soak.ts";

/** Creates `<tenant>-logs` and `<tenant>-exec` for every tenant and waits until they run. */
export async function setUpSandboxes(soak: Soak): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const tenant of soak.tenants) {
    for (const name of [`${tenant.name}-logs`, `${tenant.name}-exec`]) {
      const headers = { ...auth(tenant), "content-type": "application/json" };
      const created = await soak.traffic.fetch(`${soak.base}/`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name, image: "alpine" }),
      }, `setup ${name}`);
      if (created.status !== 201) throw new Error(`cannot create ${name}: ${await created.text()}`);
      const sandbox = await created.json();
      ids.set(name, sandbox.id);
      let status = sandbox.status;
      for (let i = 0; status !== "running"; i++) {
        if (i === 100) throw new Error(`${name} is still ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const read = await soak.traffic.fetch(`${soak.base}/${name}`, { headers }, `setup ${name}`);
        status = (await read.json()).status;
      }
    }
  }
  return ids;
}
