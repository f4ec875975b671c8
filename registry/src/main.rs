//! `id-capture-registry`: run the local registry (see `--help`).

use std::sync::Arc;

use id_capture_registry::hms_directory::{HmsDirectory, InventedCardDirectory};
use id_capture_registry::store::Store;
use id_capture_registry::vipps::{VippsExchange, VippsSettings};
use id_capture_registry::{build_router, AppState, RegistryConfig};

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("id-capture-registry: {message}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("partners") {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0);
        return id_capture_registry::partner_cli::run(&args[1..], now, &mut std::io::stdout());
    }
    let mut config = RegistryConfig::from_args(args)?;
    // Bind first: with port 0 the onboarding links need the port actually chosen.
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|error| format!("cannot listen on {}: {error}", config.listen))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    config.public_page_url.get_or_insert_with(|| format!("http://{address}/"));
    let store = Store::open(&config.database).map_err(|error| format!("cannot open the database: {error}"))?;
    let directory: Arc<dyn HmsDirectory> = match &config.hms_cards_file {
        Some(path) => {
            let json = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            Arc::new(InventedCardDirectory::from_json(&json).map_err(|error| format!("bad HMS card file: {error}"))?)
        }
        None => Arc::new(InventedCardDirectory::invented()),
    };
    let mut state = AppState::new(store, directory, &config);
    // Vipps Login only when VIPPS_ISSUER is set; the secret comes from the environment or a file.
    if let Some(settings) = VippsSettings::from_env(|name| std::env::var(name).ok())? {
        state = state.with_vipps(VippsExchange::new(settings)?);
    }
    let router = build_router(state, &config);
    // One JSON line on stdout: scripts and tests read the chosen port from it.
    println!("{}", serde_json::json!({ "listening": format!("http://{address}") }));
    id_capture_registry::server::serve(listener, router, config.limits, shutdown_signal()).await.map_err(|error| error.to_string())
}

async fn shutdown_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match terminate.as_mut() { Some(signal) => { signal.recv().await; } None => std::future::pending::<()>().await } } => {}
    }
}
