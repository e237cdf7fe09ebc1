//! The app's pages, one file per page; each has one `<h1>`.

pub mod crm_settings_page;
pub mod home_page;
pub mod messages_page;
pub mod not_found_page;
pub mod saved_accounts_page;
pub mod saved_leads_page;
pub mod seat_management_page;
pub mod set_password_page;
pub mod setup_page;
pub mod sign_in_page;
pub mod unresolved_page;

pub use crm_settings_page::CrmSettingsPage;
pub use home_page::HomePage;
pub use messages_page::MessagesPage;
pub use not_found_page::NotFoundPage;
pub use saved_accounts_page::SavedAccountsPage;
pub use saved_leads_page::SavedLeadsPage;
pub use seat_management_page::SeatManagementPage;
pub use set_password_page::SetPasswordPage;
pub use setup_page::SetupPage;
pub use sign_in_page::SignInPage;
pub use unresolved_page::UnresolvedPage;
