//! Entry point: installs the panic hook and mounts [`navsync::App`].

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(navsync::App);
}
