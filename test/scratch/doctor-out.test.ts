import { writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { it } from "@jest/globals";
import { tempDir } from "../support/files.js";
import { startGraphServer } from "../support/graph-server.js";
import { startSambaDc } from "../support/samba.js";

it("prints", async () => {
  const work = tempDir({ "identities/.keep": "" });
  const dc = await startSambaDc();
  await dc.ldapModify(`dn: OU=Staff,${dc.baseDN}\nobjectClass: organizationalUnit\n`);
  const graph = await startGraphServer({ dir: work.dir, tenant: { users: [] } });
  graph.app.roles = ["User.Read.All", "Group.Read.All", "OrgContact.Read.All", "Domain.Read.All", "RoleManagement.Read.Directory", "OnPremDirectorySynchronization.Read.All"];
  writeFileSync(path.join(work.dir, "identities/settings.yaml"), `kind: Settings
activeDirectory:
  url: ${dc.url}
  baseDN: ${dc.baseDN}
  syncScope:
    - OU=Staff,${dc.baseDN}
  caFile: ${dc.caFile}
entra:
  tenantId: ${graph.app.tenantId}
  clientId: ${graph.app.clientId}
  graphUrl: ${graph.url}
  authorityHost: ${graph.url}
`);
  graph.addFault({ kinds: ["role-assignments"], fault: { type: "status", status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } });
  let out = "";
  try {
    out = execFileSync(process.execPath, [path.resolve("bin/idanchor.js"), "doctor"], { cwd: work.dir, env: { ...process.env, ...dc.env, ...graph.env("secret"), NODE_EXTRA_CA_CERTS: graph.caFile }, encoding: "utf8" });
  } catch (e) { out = (e as {stdout: string}).stdout + "\nEXIT " + (e as {status:number}).status; }
  writeFileSync("/tmp/doctor-out.txt", out);
  await graph.close(); await dc.stop(); work.remove();
}, 120000);
