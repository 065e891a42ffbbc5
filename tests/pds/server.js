// Starts an in-memory PLC directory and the reference PDS on 127.0.0.1, on free ports,
// with a fresh temporary data folder, for the test suite (tests/pds_fixture.py).
// Prints one JSON line {"pds": URL, "plc": URL, "admin_password": ...} once the PDS answers
// /xrpc/_health, then runs until SIGTERM/SIGINT or until its standard input closes (so a
// test run that dies never leaves it behind), and removes its data folder on the way out.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const LOOPBACK = '127.0.0.1'

// Both servers call app.listen(port), which binds every interface: bind loopback only.
function listenOnLoopback(app) {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, LOOPBACK, ...rest)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

async function main() {
  const { PlcServer, Database } = require('@did-plc/server')
  const pdsModule = require('@atproto/pds')

  const plcPort = await freePort()
  const plc = PlcServer.create({ db: Database.mock(), port: plcPort })
  listenOnLoopback(plc.app)
  await plc.start()

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'altaudit-pds-'))
  const pdsPort = await freePort()
  const adminPassword = crypto.randomBytes(12).toString('hex')
  Object.assign(process.env, {
    PDS_HOSTNAME: 'localhost',
    PDS_PORT: String(pdsPort),
    PDS_DATA_DIRECTORY: dataDir,
    PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blobs'),
    // The PDS refuses an IP address here: the name localhost is needed.
    PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
    PDS_JWT_SECRET: crypto.randomBytes(16).toString('hex'),
    PDS_ADMIN_PASSWORD: adminPassword,
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: crypto.randomBytes(32).toString('hex'),
    PDS_INVITE_REQUIRED: 'false',
    PDS_DEV_MODE: 'true',
  })
  const env = pdsModule.readEnv()
  const pds = await pdsModule.PDS.create(pdsModule.envToCfg(env), pdsModule.envToSecrets(env))
  listenOnLoopback(pds.app)
  await pds.start()

  let stopping = false
  async function stop() {
    if (stopping) return
    stopping = true
    try {
      await pds.destroy()
      await plc.destroy()
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
  process.stdin.resume()

  const pdsUrl = `http://${LOOPBACK}:${pdsPort}`
  const health = await fetch(`${pdsUrl}/xrpc/_health`)
  if (!health.ok) throw new Error(`PDS health check answered ${health.status}`)
  process.stdout.write(
    JSON.stringify({ pds: pdsUrl, plc: `http://${LOOPBACK}:${plcPort}`, admin_password: adminPassword }) + '\n',
  )
}

main().catch((err) => {
  process.stderr.write(`test PDS failed to start: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})
