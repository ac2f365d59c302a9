// Child process for the kill -9 test: loads the level over HTTP into a folder disk cache, empties
// the cache and starts over, forever, so the parent can kill it at any point of a cache write.
// Uses the built runtime (dist/), as a game would.
import { createLoader, openCatalog, httpSource, DiskCache } from '../../../../dist/src/runtime/index.js';
import { folderStore } from '../../../../dist/src/runtime/disk-cache/folder-store.js';

const [catalogUrl, dir] = process.argv.slice(2);
let rounds = 0;
for (;;) {
  const disk = new DiskCache({ store: folderStore(dir) });
  const catalog = await openCatalog(httpSource(catalogUrl), { loader: createLoader({ diskCache: disk }) });
  await Promise.all(catalog.assets().map((a) => catalog.load(a.label)));
  await disk.flush();
  await disk.clear();
  if (++rounds === 1) process.stdout.write('looping\n');
}
