//! Compile tests: what must build, and the errors users read when it must not.
//! The `.stderr` snapshots belong to the pinned toolchain (see README).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}

/// docs/compile-errors.md lists every compile-fail case, each with the first line of its
/// `.stderr`: the gallery cannot drift from what the compiler says.
#[test]
fn the_gallery_lists_every_case_with_its_error() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("../docs/compile-errors.md")).unwrap();
    let mut listed = Vec::new();
    for line in doc.lines() {
        let Some(rest) = line.strip_prefix("| [`") else {
            continue;
        };
        let (name, rest) = rest.split_once('`').unwrap();
        let (_, message) = rest.split_once(") | ").unwrap();
        let message = message.strip_suffix(" |").unwrap().replace("\\|", "|");
        let stderr = std::fs::read_to_string(root.join(format!("ui/fail/{name}.stderr")))
            .unwrap_or_else(|_| panic!("docs/compile-errors.md lists {name}, which has no case"));
        assert_eq!(stderr.lines().next(), Some(message.as_str()), "{name}");
        listed.push(name.to_owned());
    }
    let mut cases: Vec<String> = std::fs::read_dir(root.join("ui/fail"))
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    cases.sort();
    listed.sort();
    assert_eq!(listed, cases, "every case, once");
}
