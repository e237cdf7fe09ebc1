//! A CRM problem (SPEC C4) with its next step: `.crm-problem[role=alert]`.

use leptos::prelude::*;
use navsync_api::crm::CrmProblem;

use crate::i18n::{Key, crm_problem_keys};
use crate::state::i18n::use_i18n;

/// The problem's sentence and next step in the current language (chosen by
/// its kind), and the missing privilege when Dataverse named one.
#[component]
pub fn CrmProblemAlert(
    /// What went wrong.
    problem: CrmProblem,
) -> impl IntoView {
    let i18n = use_i18n();
    let (message, next_step) = crm_problem_keys(problem.kind);
    let privilege = problem.missing_privilege.map(|privilege| {
        view! {
            <p class="crm-problem__privilege">
                {move || i18n.t(Key::CrmMissingPrivilege)}
                " "
                <code class="crm-problem__privilege-name">{privilege}</code>
            </p>
        }
    });
    view! {
        <div class="crm-problem" role="alert">
            <p class="crm-problem__message">{move || i18n.t(message)}</p>
            <p class="crm-problem__next-step">{move || i18n.t(next_step)}</p>
            {privilege}
        </div>
    }
}
