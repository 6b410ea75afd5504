//! `#[perf::monitored]` on single methods, one per kind of receiver. Outside a monitored
//! `impl` block the macro cannot see the type, so each site is named `module::method`.

use std::sync::Arc;

use perf_ui_tests::site;

struct Account {
    balance: u64,
}

impl Account {
    #[perf::monitored]
    fn into_balance(self) -> u64 {
        self.balance
    }

    #[perf::monitored]
    fn with_bonus(mut self, bonus: u64) -> Self {
        self.balance += bonus;
        self
    }

    #[perf::monitored]
    fn balance(&self) -> u64 {
        self.balance
    }

    #[perf::monitored]
    fn deposit(&mut self, amount: u64) -> &mut u64 {
        self.balance += amount;
        &mut self.balance
    }

    #[perf::monitored]
    fn withdraw(&mut self, amount: u64) -> Result<u64, String> {
        self.balance = self.balance.checked_sub(amount).ok_or_else(|| format!("cannot withdraw {amount}"))?;
        Ok(self.balance)
    }

    #[perf::monitored]
    fn shared_balance(self: Arc<Self>) -> u64 {
        self.balance
    }
}

fn main() {
    let mut account = Account { balance: 10 };
    *account.deposit(5) += 1;
    assert_eq!(account.balance(), 16);
    assert_eq!(account.withdraw(6), Ok(10));
    assert!(account.withdraw(100).is_err());
    let account = account.with_bonus(2);
    assert_eq!(Arc::new(Account { balance: 3 }).shared_balance(), 3);
    assert_eq!(account.into_balance(), 12);

    for (method, calls, errors) in [
        ("into_balance", 1, 0),
        ("with_bonus", 1, 0),
        ("balance", 1, 0),
        ("deposit", 1, 0),
        ("withdraw", 2, 1),
        ("shared_balance", 1, 0),
    ] {
        let method_site = site(&format!("{}::{method}", module_path!()));
        assert_eq!(method_site.function, method);
        assert_eq!(method_site.calls, calls, "calls of {method}");
        assert_eq!(method_site.errors, errors, "errors of {method}");
    }
    assert_eq!(perf::sites().len(), 6);
}
