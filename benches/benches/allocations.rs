//! Heap allocations per scrape of the 10,000-series exposition, per implementation and
//! format, counted by a counting global allocator. The first scrape (which sizes buffers) is
//! not counted. Writes `<target>/criterion/allocations.json` for `scripts/bench_report.py`
//! and prints the same figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use oxios_metrics_benches::exposition::{expositions, FORMATS};

/// Counts calls and bytes, then defers to the system allocator.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are plain atomics and never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Scrapes counted per implementation (after one uncounted scrape).
const COUNTED_SCRAPES: u64 = 10;

/// Where criterion writes its results: `$CARGO_TARGET_DIR/criterion`, or the `criterion`
/// folder of the target directory this executable was built into
/// (`<target>/release/deps/allocations-…`).
fn criterion_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("criterion");
    }
    let exe = std::env::current_exe().expect("the executable has a path");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("criterion"))
        .expect("the executable lives in <target>/<profile>/deps")
}

fn main() {
    // `cargo test --benches` runs this too; a quick pass there proves it works.
    let mut json = String::from("{\n");
    let mut first_format = true;
    for format in FORMATS {
        if !first_format {
            json.push_str(",\n");
        }
        first_format = false;
        json.push_str(&format!("  \"encode_10k_{}\": {{\n", format.id()));
        let mut first_entry = true;
        for (name, mut exposition) in expositions(format) {
            exposition.encode();
            let calls_before = ALLOCATIONS.load(Ordering::Relaxed);
            let bytes_before = ALLOCATED_BYTES.load(Ordering::Relaxed);
            for _ in 0..COUNTED_SCRAPES {
                exposition.encode();
            }
            let calls = ALLOCATIONS.load(Ordering::Relaxed) - calls_before;
            let bytes = ALLOCATED_BYTES.load(Ordering::Relaxed) - bytes_before;
            let per_scrape = calls as f64 / COUNTED_SCRAPES as f64;
            let bytes_per_scrape = bytes as f64 / COUNTED_SCRAPES as f64;
            println!(
                "allocations per scrape, {:<17} {:<28} {:>10.1} allocations {:>12.0} bytes",
                format.id(),
                name,
                per_scrape,
                bytes_per_scrape
            );
            if name == "oxios-metrics" {
                assert_eq!(calls, 0, "oxios-metrics allocated while scraping");
            }
            if !first_entry {
                json.push_str(",\n");
            }
            first_entry = false;
            json.push_str(&format!(
                "    \"{name}\": {{\"allocations_per_scrape\": {per_scrape}, \"bytes_per_scrape\": {bytes_per_scrape}}}"
            ));
        }
        json.push_str("\n  }");
    }
    json.push_str("\n}\n");
    let dir = criterion_dir();
    std::fs::create_dir_all(&dir).expect("the criterion folder can be created");
    let path = dir.join("allocations.json");
    std::fs::write(&path, json).expect("the allocation figures can be written");
    println!("wrote {}", path.display());
}
