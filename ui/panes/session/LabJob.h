#pragma once

#include <atomic>
#include <memory>

#include <QFutureWatcher>

#include "support/Async.h"

namespace tb::ui {

// runAsync for the core's long calls that poll a cancel flag rather than a promise: `work(promise, flag)` runs
// on the pool, the progress dialog's Cancel (or cancelJob) sets the flag, `done(T)` runs on the GUI thread when
// the job finished normally and `cancelled()` when it was cancelled.
template <typename T, typename Work, typename Done, typename Cancelled>
QFuture<T> runLabJob(QWidget* owner, const QString& label, const std::shared_ptr<std::atomic<bool>>& flag, Work work,
                     Done done, Cancelled cancelled)
{
    QFuture<T> future = runAsync<T>(
        owner, label, [work = std::move(work), flag](QPromise<T>& promise) { return work(promise, *flag); },
        std::move(done));
    auto* watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::canceled, owner, [flag] { *flag = true; });
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, cancelled] {
        watcher->deleteLater();
        if (watcher->isCanceled()) {
            cancelled();
        }
    });
    watcher->setFuture(future);
    return future;
}

// A progress callback for the core (percent) that also turns the promise's cancellation into the flag.
template <typename T>
auto progressInto(QPromise<T>& promise, std::atomic<bool>& flag, int base = 0, int span = 100)
{
    return [&promise, &flag, base, span](int percent) {
        promise.setProgressValue(base + percent * span / 100);
        if (promise.isCanceled()) {
            flag = true;
        }
    };
}

} // namespace tb::ui
