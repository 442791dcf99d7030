/// Which calls get which faults: rules keyed by operation, each for the next N calls of that
/// operation or for all of them. Rules for one operation apply in the order they were added,
/// so "the first call is dropped, the second gets a 503" is two rules.
public struct SandboxFaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// How many calls a rule still spoils.
    public enum Count: Sendable, Hashable, CustomStringConvertible {
        case times(Int)
        case always

        public var description: String {
            switch self {
            case .times(let count): "\(count)"
            case .always: "always"
            }
        }
    }

    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        public let operation: SandboxOperation
        public let fault: SandboxFault
        public internal(set) var remaining: Count

        public init(_ fault: SandboxFault, on operation: SandboxOperation, count: Count = .times(1)) {
            self.operation = operation
            self.fault = fault
            self.remaining = count
        }

        /// `OPERATION=KIND[:COUNT]`, e.g. `getCertificate=503:2`, `generateCertificate=drop-after`,
        /// `getActorQualities=latency-1.5:always`; COUNT defaults to 1.
        public init(parsing text: String) throws(SandboxFaultSyntaxError) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let operation = SandboxOperation(name: parts[0]) else {
                throw SandboxFaultSyntaxError("\"\(text)\" does not start with an operation: OPERATION=KIND[:COUNT], where OPERATION is one of "
                                              + SandboxOperation.allCases.map(\.rawValue).joined(separator: ", "))
            }
            // status:CODE and soap-fault:CODE carry a colon of their own before the count.
            let pieces = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let kindPieces = pieces.count > 1 && SandboxFault.takesCode(pieces[0]) ? 2 : 1
            guard pieces.count <= kindPieces + 1 else {
                throw SandboxFaultSyntaxError("\"\(text)\" has too many parts: OPERATION=KIND[:COUNT], or OPERATION=status:CODE[:COUNT]")
            }
            let kindAndCount = [pieces.prefix(kindPieces).joined(separator: ":")] + pieces.dropFirst(kindPieces)
            let fault = try SandboxFault(parsing: kindAndCount[0])
            var count = Count.times(1)
            if kindAndCount.count == 2 {
                if kindAndCount[1].lowercased() == "always" {
                    count = .always
                } else if let times = Int(kindAndCount[1]), times > 0 {
                    count = .times(times)
                } else {
                    throw SandboxFaultSyntaxError("\"\(kindAndCount[1])\" in \"\(text)\" is not a count: give a positive number of calls, or always")
                }
            }
            self.init(fault, on: operation, count: count)
        }

        public var description: String { "\(operation)=\(fault):\(remaining)" }
    }

    public private(set) var rules: [Rule]

    public init(_ rules: [Rule] = []) {
        self.rules = rules.filter { $0.remaining != .times(0) }
    }

    public var isEmpty: Bool { rules.isEmpty }

    public mutating func add(_ rule: Rule) {
        guard rule.remaining != .times(0) else { return }
        rules.append(rule)
    }

    public mutating func add(_ fault: SandboxFault, on operation: SandboxOperation, count: Count = .times(1)) {
        add(Rule(fault, on: operation, count: count))
    }

    /// The fault for the call of `operation` that just arrived, if any; counts it, and forgets
    /// a rule whose calls are used up. With `answersOnly`, only when the operation's next rule
    /// is an answer (``SandboxFault/Kind/isAnswer``): a caller without HTTP leaves the others.
    public mutating func take(for operation: SandboxOperation, answersOnly: Bool = false) -> SandboxFault? {
        guard let index = rules.firstIndex(where: { $0.operation == operation }) else { return nil }
        if answersOnly, !rules[index].fault.kind.isAnswer { return nil }
        let fault = rules[index].fault
        if case .times(let count) = rules[index].remaining {
            if count <= 1 {
                rules.remove(at: index)
            } else {
                rules[index].remaining = .times(count - 1)
            }
        }
        return fault
    }

    public var description: String {
        rules.isEmpty ? "no faults" : rules.map(\.description).joined(separator: ", ")
    }
}
