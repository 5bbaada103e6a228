//! The `gradscape` command line: the scripting face of the engine.

fn main() {
    eprintln!("usage: gradscape <trace|list> …");
    std::process::exit(2);
}
