// Does nothing: the host benchmarks run their workload with this in place of Codetrail.
exports.activate = function activate() {};
exports.deactivate = function deactivate() {};
