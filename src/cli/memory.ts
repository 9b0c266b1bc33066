/**
 * A full garbage collection between the plan's large stages. Each stage (the YAML load, the LDIF
 * read, the Graph snapshot, the tables the planner builds) leaves behind its own working set: the
 * file texts, the parsed JSON and YAML trees, the growth of its hash tables (at 100,000 identities,
 * 100-150 MB each time). V8 lets the heap grow to two to four times what was live at its last full
 * collection before it collects again, so that garbage piled up on the next stage's live data and
 * the peak was ~720 MB for ~340 MB live. Collected at the boundary, the peak is the live data plus
 * one stage's churn. A collection with little live data is fast (tens of ms; ~0.3 s at the largest).
 * A small heap is left to V8's own schedule (SMALL_HEAP_BYTES).
 *
 * Node has no API for it; V8's `gc` extension is installed in contexts created after the flag is
 * set, so one empty context provides the function (the main context is left as it is).
 */
import v8 from "node:v8";
import vm from "node:vm";

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc: unknown = vm.runInNewContext("typeof gc === 'function' ? gc : null");
    collect = typeof gc === "function" ? () => (gc as () => void)() : null;
  } catch {
    collect = null; // a runtime without the extension: the GC collects on its own schedule
  }
  return collect;
}

/**
 * Below this much heap in use the collections are skipped: the plan is far from any memory limit
 * (10,000 identities: 40-60 MB at each stage boundary), and five of them were ~0.17 s of its time.
 */
const SMALL_HEAP_BYTES = 128 * 1024 * 1024;

/** Collects what the finished stage left behind (nothing happens where V8 offers no collector). */
export function releaseStage(): void {
  if (v8.getHeapStatistics().used_heap_size < SMALL_HEAP_BYTES) return;
  collector()?.();
}
