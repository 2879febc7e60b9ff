//! `crate = ...` lets the derives work through a re-export under another name.

mod reexport {
    pub use oxios_metrics as metrics;
}

use reexport::metrics::{Counter, Family, Format, LabelSet, LabelValue, Metrics, Registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label(crate = crate::reexport::metrics)]
enum Tool {
    Shell,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
#[label(crate = "crate::reexport::metrics")]
struct User {
    name: String,
}

#[derive(Metrics)]
#[metrics(crate = crate::reexport::metrics)]
struct Group {
    /// Calls.
    calls: Family<Tool, Counter>,
    /// Users.
    users: Family<User, Counter>,
}

static GROUP: Group = Group::new();

fn main() {
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    GROUP.calls.get(Tool::Shell).inc();
    GROUP.users.get(User { name: "ada".into() }).inc();
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("calls_total{tool=\"shell\"} 1\n"), "{text}");
    assert!(text.contains("users_total{name=\"ada\"} 1\n"), "{text}");
}
