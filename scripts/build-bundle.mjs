// Bundles what the hot commands load into CommonJS scripts that bin/keel.js runs through node:vm with V8's code cache
// (bin/code-cache.js): dist/cli-bundle.cjs for `keel status`, `keel --help` and `keel help status`, and
// dist/migrate-bundle.cjs for `keel migrate`. Node 20 keeps no compiled code of a module between runs, and loading
// the ~100 ES modules of `keel status` (~160 of `keel migrate`) one by one costs more than their own work: callgrind,
// `keel status` at 1,000 applied migrations, 545M instructions on the main thread from dist/, 445M from this bundle,
// 372M from it with the code cache; `keel migrate` of 200 migrations, 1,530M from dist/, 1,204M from its bundle.
//
// Run after tsc (npm run build, npm test): it bundles dist/, not src/. Each bundle holds its commands alone; the
// others stay out, and so does what status never reaches of each dialect (its planner, introspection), which
// bin/keel.js loads from dist/ as before. A dynamic import of one of them from the bundle throws (see NOT_BUNDLED):
// two copies of a Keel module in one process would each keep their own state (the runtimes loaded, the secrets to
// redact). Two bundles rather than one: status's code cache holds every function of its script, compiled or not, and
// with migrate's modules in its bundle `keel status` ran 4% more instructions, `keel --help` 4% more.
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { asciiComments } from './ascii-comments.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist')

/**
 * Packages bundled: the CLI's parser, node-postgres, libpg_query's (empty) types and what they load. The rest load
 * from node_modules at need.
 */
const BUNDLED_PACKAGES =
  /^(@pgsql\/types|commander|picocolors|dotenv|pg|pg-[a-z0-9-]+|postgres-[a-z-]+|pgpass|split2|xtend)(\/|$)/

/**
 * The bundles: each names the commands it runs (bin/keel.js runs the same ones from it) and whether each dialect's
 * heavy half stays out. Status never loads a dialect's planner, introspection, parsers or printers (but its Prisma
 * provider, with which it reads the URL of a Prisma schema's datasource), which its runtime half loads on demand.
 * Migrate keeps them: its live facts for lint, and a TypeScript migration plans with its dialect's planner; what a
 * run does not load costs no compiling with the code cache, but a module left out would make that run throw.
 */
const BUNDLES = [
  { file: 'cli-bundle.cjs', commands: ['status'], heavyHalves: false, parser: false },
  { file: 'migrate-bundle.cjs', commands: ['migrate'], heavyHalves: true, parser: true },
]

/**
 * libpg_query's JavaScript (its loader and Emscripten's glue, ~75 KB), in migrate's bundle so that the code cache
 * holds it too: required from node_modules, Node 20 compiled it from source in every run (callgrind, Node 20, main
 * thread, medians of 6-7 paired runs: 200 migrations 1,080M -> 1,061M; nothing to migrate 692M -> 696M, the code
 * cache being 77 KB larger). Its WebAssembly stays in node_modules, found from where the package is
 * installed (wasmNextToPackage). package.json takes any 18.x at or after the one bundled, so the bundled copy runs only
 * with the version it was built from installed; another version (an upgrade within the range, whose glue may not match
 * its .wasm) is required from node_modules as before (parserShim).
 */
const PARSER_PACKAGE = 'libpg-query'
const requireFromRoot = createRequire(join(ROOT, 'package.json'))
const PARSER_VERSION = requireFromRoot(`${PARSER_PACKAGE}/package.json`).version
/** The specifier by which the shim requires the bundled copy (resolved by keelPlugin, never left in the bundle). */
const BUNDLED_PARSER = 'keel-bundled:libpg-query'

/** Keel modules a bundle leaves out (see BUNDLES). */
function notBundled(bundle, file, importer) {
  const from = relative(DIST, importer).split(sep).join('/')
  const to = relative(DIST, file).split(sep).join('/')
  if (from === 'cli/commands/all.js') return !bundle.commands.some((name) => to === `cli/commands/${name}.js`)
  if (bundle.heavyHalves) return false
  return /^dialect\/[a-z]+\/runtime\.js$/.test(from) && !/\/prisma-provider\.js$/.test(to)
}

const keelPlugin = (bundle) => ({
  name: 'keel-bundle',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined
      if (args.path.startsWith('.')) {
        const file = join(dirname(args.importer), args.path)
        if (args.kind === 'dynamic-import' && notBundled(bundle, file, args.importer)) {
          return { path: relative(DIST, file), namespace: 'keel-not-bundled' }
        }
        return undefined
      }
      // The glue's require.resolve (wasmNextToPackage) looks the package up where it is installed.
      if (args.kind === 'require-resolve') return { path: args.path, external: true }
      if (bundle.parser && args.path === PARSER_PACKAGE && args.namespace !== 'keel-parser-shim') {
        return { path: PARSER_PACKAGE, namespace: 'keel-parser-shim' }
      }
      if (args.path === BUNDLED_PARSER) return { path: requireFromRoot.resolve(PARSER_PACKAGE) }
      return BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true }
    })
    b.onLoad({ filter: /.*/, namespace: 'keel-parser-shim' }, () => ({ contents: parserShim(), loader: 'js' }))
    b.onLoad({ filter: /[\\/]libpg-query[\\/]wasm[\\/]libpg-query\.js$/ }, (args) => ({
      contents: wasmNextToPackage(readFileSync(args.path, 'utf8'), args.path),
      loader: 'js',
    }))
    b.onLoad({ filter: /.*/, namespace: 'keel-not-bundled' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`dist/${args.path} is not in dist/${bundle.file}: bin/keel.js runs only ${bundle.commands.join(', ')} from it (scripts/build-bundle.mjs)`)})`,
      loader: 'js',
    }))
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => ({
      contents: lazyChildProcess(readFileSync(args.path, 'utf8'), args.path),
      loader: 'js',
    }))
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST + sep)) return undefined
      const rel = JSON.stringify(relative(DIST, args.path).split(sep).join('/'))
      const text = readFileSync(args.path, 'utf8')
        // A module's own require (pg-load.js's, for node-postgres) becomes the bundle's: what it requires is then
        // bundled too (a package listed above) or required from node_modules as before.
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
        // import.meta.url of each Keel module: its own file's URL, as when it runs from dist/ (package.json and the
        // starter schema are found relative to it). __dirname is the bundle's folder, dist/.
        .replaceAll('import.meta.url', `__keelModuleUrl(${rel})`)
      return { contents: text, loader: 'js' }
    })
  },
})

/**
 * commander requires node:child_process when it loads, for the executable subcommands Keel does not have: Node then
 * loads child_process, dgram and their internals in every `keel status` and `keel --help` (callgrind, Node 20: --help
 * ~160M -> ~153M main-thread instructions without them). Its only use, childProcess.spawn, now requires it then.
 * The build fails if commander's line is not there as expected (another version), rather than bundle it unchanged.
 */
function lazyChildProcess(text, file) {
  const line = "const childProcess = require('node:child_process');"
  if (!text.includes(line)) throw new Error(`${file}: no \`${line}\` to make lazy (scripts/build-bundle.mjs)`)
  return text.replace(
    line,
    "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  )
}

/**
 * What `require('libpg-query')` gives in a bundle that holds the parser: the bundled copy when the version installed is
 * the one bundled, else the installed package (see PARSER_PACKAGE). Reading its package.json is one small file.
 */
function parserShim() {
  return [
    `const installed = require(${JSON.stringify(`${PARSER_PACKAGE}/package.json`)}).version`,
    `module.exports = installed === ${JSON.stringify(PARSER_VERSION)} ? require(${JSON.stringify(BUNDLED_PARSER)}) : require(${JSON.stringify(PARSER_PACKAGE)})`,
  ].join('\n')
}

/**
 * Emscripten's glue finds its .wasm in its own folder, `__dirname`: in the bundle that is dist/. It is made to look in
 * the installed package's folder instead, resolved as the shim resolves the package (from dist/, as a fresh clone's
 * node_modules or an npm install's, hoisted or not). The build fails if the line is not there as expected.
 */
function wasmNextToPackage(text, file) {
  const line = 'scriptDirectory=__dirname+"/"'
  if (text.split(line).length !== 2)
    throw new Error(`${file}: not one \`${line}\` to redirect (scripts/build-bundle.mjs)`)
  return text.replace(
    line,
    `scriptDirectory=require("node:path").dirname(require.resolve(${JSON.stringify(PARSER_PACKAGE)}))+"/"`,
  )
}

for (const bundle of BUNDLES) await buildBundle(bundle)

async function buildBundle(bundle) {
  const out = join(DIST, bundle.file)
  const result = await build({
    entryPoints: [join(DIST, 'cli', 'main.js')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ES modules are strict; so stays their code in one script.
    banner: {
      js: [
        '"use strict";',
        'const __keelModuleUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;',
      ].join('\n'),
    },
    // A dynamic import() in a vm.Script needs --experimental-vm-modules on Node 20: the packages left out load with
    // require (each has a CommonJS build), the Keel modules left out throw (above).
    supported: { 'dynamic-import': false },
    plugins: [keelPlugin(bundle)],
    metafile: true,
    logLevel: 'warning',
  })
  const dynamicImports = readFileSync(out, 'utf8').match(/(?<![.\w$])import\(/g)
  if (dynamicImports !== null) throw new Error(`${out}: ${dynamicImports.length} import() left; see supported above`)
  // The first line names the bundle's content: bin/code-cache.js keys its cache by it, so that another build (an
  // upgrade, whose files npm gives one fixed mtime) never runs with the compiled code of this one.
  const text = asciiComments(readFileSync(out, 'utf8'), out)
  writeFileSync(out, `// keel-bundle sha256:${createHash('sha256').update(text).digest('hex')}\n${text}`)
  writeFileSync(out.replace(/\.cjs$/, '.meta.json'), JSON.stringify(result.metafile))
}

/**
 * `keel --help` (`-h`, `help`) as the CLI prints it at each terminal width, for bin/keel.js to print without loading
 * the CLI: commander, loaded and run for the list, was most of that command's work (callgrind, Node 20: 151M main-thread
 * instructions, `node -e 0` 85M). commander wraps the list to the terminal's columns (80 for a pipe), so the text is
 * made here at every width from 1 to {@link HELP_WIDTHS}, by the CLI itself (dist/cli/main.js), and kept once per
 * distinct text: dist/help.json, `{ widths: [index of the text at width w, ...], texts: [...] }`. A terminal wider than
 * that gets the widest text, which must be the same as at the widths before it (nothing wraps there any more): else no
 * file is written, and bin/keel.js runs the CLI as before.
 */
const HELP_WIDTHS = 300

await writeHelpTexts()

async function writeHelpTexts() {
  const out = join(DIST, 'help.json')
  const { main } = await import(pathToFileURL(join(DIST, 'cli', 'main.js')).href)
  const stdout = process.stdout
  const saved = { write: stdout.write, isTTY: stdout.isTTY, columns: stdout.columns }
  const textAt = async (width) => {
    let text = ''
    stdout.isTTY = width !== undefined
    stdout.columns = width
    stdout.write = (chunk) => {
      text += chunk
      return true
    }
    try {
      const code = await main(['--help'])
      if (code !== 0) throw new Error(`keel --help exited with ${code}`)
    } finally {
      Object.assign(stdout, saved)
    }
    return text
  }
  const texts = []
  const widths = [null]
  for (let width = 1; width <= HELP_WIDTHS; width++) {
    const text = await textAt(width)
    if (texts.at(-1) !== text) texts.push(text)
    widths.push(texts.length - 1)
  }
  // Stable at the widest: the last text is the one from well before it on. A pipe's is the text at 80.
  const stable = widths[HELP_WIDTHS - 50] === widths[HELP_WIDTHS]
  if (!stable || (await textAt(undefined)) !== texts[widths[80]]) {
    rmSync(out, { force: true })
    return
  }
  writeFileSync(out, JSON.stringify({ widths, texts }))
}
