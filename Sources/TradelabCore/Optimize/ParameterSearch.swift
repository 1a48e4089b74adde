/// Drives a search over a ``ParameterSpace``: hands batches of points to an evaluator (which may
/// run them in parallel) and, for a genetic search, breeds the next batch from their fitness.
///
/// Points are indices into each range's values. The same seed gives the same points in the same
/// order; a point is never evaluated twice.
///
/// ```swift
/// let log = ParameterSearch(space: space, method: .genetic(GeneticOptions()), seed: 7)
///     .run { points in points.map { fitness(of: space.parameters($0)) } }
/// ```
public struct ParameterSearch: Sendable {
    /// The space.
    public var space: ParameterSpace
    /// The method.
    public var method: SearchMethod
    /// Seed of every random draw.
    public var seed: UInt64
    /// Parameters not searched, visible to the constraints.
    public var fixed: [String: Double]

    /// Creates a search.
    public init(space: ParameterSpace, method: SearchMethod, seed: UInt64 = 42, fixed: [String: Double] = [:]) {
        self.space = space
        self.method = method
        self.seed = seed
        self.fixed = fixed
    }

    /// Most combinations a grid may have.
    public static let maximumGrid = 1_000_000

    /// One generation of a genetic search.
    public struct Generation: Sendable, Equatable, Codable {
        /// 1 for the first.
        public var generation: Int
        /// Best fitness so far (nil while no point had one).
        public var best: Double?
        /// Mean fitness of this generation's individuals that have one.
        public var mean: Double?
        /// Points evaluated so far.
        public var evaluated: Int

        /// Creates a generation's record.
        public init(generation: Int, best: Double?, mean: Double?, evaluated: Int) {
            self.generation = generation
            self.best = best
            self.mean = mean
            self.evaluated = evaluated
        }
    }

    /// What the search did.
    public struct Log: Sendable, Equatable {
        /// Every point evaluated, in evaluation order.
        public var points: [[Int]] = []
        /// Genetic searches: one entry per generation.
        public var generations: [Generation] = []
        /// Genetic searches: stopped because the best stopped improving.
        public var stoppedEarly = false
        /// The evaluator asked to stop.
        public var cancelled = false
    }

    /// Checks that the search can start: a grid within ``maximumGrid``, sane counts.
    /// - Throws: ``OptimizeError``.
    public func validate() throws(OptimizeError) {
        switch method {
        case .grid:
            guard space.combinations <= Self.maximumGrid else {
                throw OptimizeError("the grid has \(space.combinations == Int.max ? "too many" : String(space.combinations)) combinations, more than \(Self.maximumGrid); narrow the ranges or use --method random --trials N or --method genetic")
            }
        case .random(let trials):
            guard (1...Self.maximumGrid).contains(trials) else { throw OptimizeError("--trials must be 1 to \(Self.maximumGrid), was \(trials)") }
        case .genetic(let options):
            try options.validate()
        }
    }

    /// Runs the search. `evaluate` receives each batch of new points and returns their fitness
    /// (higher is better; nil for a point that failed or misses a filter), or nil to stop.
    /// `generation` hears of each genetic generation as it finishes.
    public func run(generation: ((Generation) -> Void)? = nil, _ evaluate: ([[Int]]) -> [Double?]?) -> Log {
        var rng = SplitMix64(seed: seed)
        return withoutActuallyEscaping(evaluate) { evaluate in
            let state = State(evaluate: evaluate)
            switch method {
            case .grid:
                _ = state.evaluate(space.grid(fixed: fixed))
            case .random(let trials):
                _ = state.evaluate(randomPoints(trials, rng: &rng))
            case .genetic(let options):
                genetic(options, rng: &rng, state: state, report: generation)
            }
            return state.log
        }
    }

    /// What a run has evaluated so far.
    private final class State {
        let evaluator: ([[Int]]) -> [Double?]?
        var seen: [[Int]: Double?] = [:]
        var log = Log()

        init(evaluate: @escaping ([[Int]]) -> [Double?]?) { evaluator = evaluate }

        /// Evaluates the points not seen yet; false when the evaluator stopped.
        func evaluate(_ points: [[Int]]) -> Bool {
            var fresh: [[Int]] = []
            var inBatch = Set<[Int]>()
            for p in points where seen[p] == nil && inBatch.insert(p).inserted { fresh.append(p) }
            guard !fresh.isEmpty else { return true }
            guard let values = evaluator(fresh) else { log.cancelled = true; return false }
            for (p, v) in zip(fresh, values) { seen[p] = .some(v) }
            log.points += fresh
            return true
        }

        /// A point's fitness; -infinity when it had none.
        func fitness(_ p: [Int]) -> Double { (seen[p] ?? nil) ?? -.infinity }
    }

    /// `trials` distinct points drawn at random (the whole grid when it is not larger).
    private func randomPoints(_ trials: Int, rng: inout SplitMix64) -> [[Int]] {
        if space.combinations <= Self.maximumGrid {
            var pool = space.grid(fixed: fixed)
            guard pool.count > trials else { return pool }
            // A seeded partial Fisher-Yates shuffle.
            for k in 0..<trials { pool.swapAt(k, k + Int(rng.next() % UInt64(pool.count - k))) }
            return Array(pool.prefix(trials))
        }
        var points: [[Int]] = []
        var taken = Set<[Int]>()
        var misses = 0
        while points.count < trials, misses < 100 * trials, let p = space.randomPoint(using: &rng, fixed: fixed) {
            if taken.insert(p).inserted { points.append(p) } else { misses += 1 }
        }
        return points
    }

    private func genetic(_ o: GeneticOptions, rng: inout SplitMix64, state: State, report: ((Generation) -> Void)?) {
        let genes = space.ranges.count
        let mutation = o.mutation ?? 1 / Double(genes)
        let smallGrid = space.combinations <= o.population ? space.grid(fixed: fixed) : nil
        var population: [[Int]] = smallGrid ?? []
        var draws = 0
        while smallGrid == nil, population.count < o.population, draws < 100 * o.population, let p = space.randomPoint(using: &rng, fixed: fixed) {
            draws += 1
            if !population.contains(p) { population.append(p) }
        }
        guard !population.isEmpty, state.evaluate(population) else { return }
        var best = population.map(state.fitness).max() ?? -.infinity
        var stale = 0
        func record(_ g: Int) {
            let values = population.compactMap { state.seen[$0] ?? nil }
            let generation = Generation(generation: g, best: best.isFinite ? best : nil,
                                        mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count),
                                        evaluated: state.log.points.count)
            state.log.generations.append(generation)
            report?(generation)
        }
        record(1)
        guard smallGrid == nil, o.generations >= 2 else { return }   // the whole space is evaluated, or one generation asked
        for g in 2...o.generations {
            let ranked = population.sorted { state.fitness($0) > state.fitness($1) }
            var next = Array(ranked.prefix(o.elites))
            while next.count < population.count {
                let a = tournament(population, o.tournament, state, &rng), b = tournament(population, o.tournament, state, &rng)
                var child = a
                if rng.nextUnit() < o.crossover { for k in 0..<genes where rng.next() & 1 == 1 { child[k] = b[k] } }
                var tries = 0
                repeat {
                    mutate(&child, rate: mutation, rng: &rng)
                    tries += 1
                } while !space.allows(space.parameters(child), fixed: fixed) && tries < 20
                if !space.allows(space.parameters(child), fixed: fixed) { child = space.randomPoint(using: &rng, fixed: fixed) ?? a }
                next.append(child)
            }
            population = next
            guard state.evaluate(population) else { return }
            let generationBest = population.map(state.fitness).max() ?? -.infinity
            if generationBest > best { best = generationBest; stale = 0 } else { stale += 1 }
            record(g)
            if stale >= o.patience { state.log.stoppedEarly = true; return }
        }
    }

    /// The fittest of `size` individuals drawn at random.
    private func tournament(_ population: [[Int]], _ size: Int, _ state: State, _ rng: inout SplitMix64) -> [Int] {
        var winner = population[Int(rng.next() % UInt64(population.count))]
        for _ in 1..<max(1, size) {
            let other = population[Int(rng.next() % UInt64(population.count))]
            if state.fitness(other) > state.fitness(winner) { winner = other }
        }
        return winner
    }

    /// Each gene mutates with probability `rate`: a step to a nearby value, or (one time in five) a jump anywhere.
    private func mutate(_ child: inout [Int], rate: Double, rng: inout SplitMix64) {
        for k in child.indices where rng.nextUnit() < rate {
            let count = space.ranges[k].values.count
            guard count > 1 else { continue }
            if rng.nextUnit() < 0.2 {
                child[k] = Int(rng.next() % UInt64(count))
            } else {
                // Half the steps go to the next value, the others up to a tenth of the range away.
                let shift = rng.nextUnit() < 0.5 ? 1 : 1 + Int(rng.next() % UInt64(max(1, count / 10)))
                child[k] = min(count - 1, max(0, child[k] + (rng.next() & 1 == 1 ? shift : -shift)))
            }
        }
    }
}
