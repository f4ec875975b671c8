//! `id-capture-registry partners add|list|revoke`: the operator's commands for
//! partners. The API key is printed once, at `add`, and never again.

use crate::partners::{check_origin, DEFAULT_PARTNER_RATE_PER_MINUTE};
use crate::store::Store;

pub const USAGE: &str = "usage: id-capture-registry partners --db FILE add --name NAME [--origin ORIGIN]... [--rate-per-minute N]
       id-capture-registry partners --db FILE list
       id-capture-registry partners --db FILE revoke PARTNER_ID";

/// Runs one partners command; what it prints goes to `out` (stdout in main).
pub fn run(args: &[String], now: i64, out: &mut dyn std::io::Write) -> Result<(), String> {
    let mut database = None;
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--db" {
            database = Some(iter.next().ok_or("--db needs a value")?.clone());
        } else {
            rest.push(arg.clone());
        }
    }
    let database = database.ok_or_else(|| format!("--db is required\n{USAGE}"))?;
    let store = Store::open(&database).map_err(|error| format!("cannot open the database: {error}"))?;
    let write = |out: &mut dyn std::io::Write, text: String| writeln!(out, "{text}").map_err(|error| error.to_string());
    match rest.first().map(String::as_str) {
        Some("add") => {
            let (mut name, mut origins, mut rate) = (None, Vec::new(), DEFAULT_PARTNER_RATE_PER_MINUTE);
            let mut options = rest[1..].iter();
            while let Some(flag) = options.next() {
                let value = options.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--name" => name = Some(value.trim().to_owned()),
                    "--origin" => {
                        check_origin(value)?;
                        origins.push(value.clone());
                    }
                    "--rate-per-minute" => {
                        rate = value.parse().ok().filter(|rate| *rate > 0 && *rate <= 100_000).ok_or("--rate-per-minute takes a whole number from 1 to 100000")?
                    }
                    other => return Err(format!("unknown option {other}\n{USAGE}")),
                }
            }
            let name = name.filter(|name| !name.is_empty() && name.chars().count() <= 200 && !name.chars().any(char::is_control)).ok_or("--name is required (1 to 200 characters)")?;
            let added = store.add_partner(&name, &origins, rate, now).map_err(|error| error.to_string())?;
            let shown = serde_json::json!({ "partner": added.partner, "api_key": added.api_key, "note": "the API key is shown once; store it now" });
            write(out, shown.to_string())
        }
        Some("list") => {
            let partners = store.list_partners().map_err(|error| error.to_string())?;
            write(out, serde_json::to_string(&partners).unwrap_or_default())
        }
        Some("revoke") => {
            let partner_id = rest.get(1).ok_or_else(|| format!("revoke needs a partner id\n{USAGE}"))?;
            if store.revoke_partner(partner_id, now).map_err(|error| error.to_string())? {
                write(out, serde_json::json!({ "revoked": partner_id }).to_string())
            } else {
                Err(format!("no active partner {partner_id}"))
            }
        }
        _ => Err(USAGE.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_text(args: &[&str]) -> Result<String, String> {
        let mut out = Vec::new();
        run(&args.iter().map(|arg| arg.to_string()).collect::<Vec<_>>(), 1_000, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn add_shows_the_key_once_list_never_and_revoke_ends_it() {
        let directory = std::env::temp_dir().join(format!("id-capture-partner-cli-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let database = directory.join("registry.sqlite");
        let database = database.to_str().unwrap();
        let added: serde_json::Value = serde_json::from_str(&run_text(&["--db", database, "add", "--name", "Eksempel Portal AS", "--origin", "https://portal.example"]).unwrap()).unwrap();
        let key = added["api_key"].as_str().unwrap().to_owned();
        let partner_id = added["partner"]["partner_id"].as_str().unwrap().to_owned();
        let listed = run_text(&["--db", database, "list"]).unwrap();
        assert!(listed.contains(&partner_id) && listed.contains("https://portal.example"));
        assert!(!listed.contains(&key));
        run_text(&["--db", database, "revoke", &partner_id]).unwrap();
        assert!(run_text(&["--db", database, "revoke", &partner_id]).is_err());
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn bad_options_are_clear_errors() {
        assert!(run_text(&["list"]).unwrap_err().contains("--db"));
        assert!(run_text(&["--db", ":memory:", "add", "--name", "P", "--origin", "*"]).unwrap_err().contains("wildcard"));
        assert!(run_text(&["--db", ":memory:", "add", "--origin", "https://p.example"]).unwrap_err().contains("--name"));
        assert!(run_text(&["--db", ":memory:", "add", "--name", "P", "--rate-per-minute", "0"]).is_err());
    }
}
