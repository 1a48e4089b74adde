/// How a search picks the parameter combinations it tries.
public enum SearchMethod: Sendable, Equatable, Codable {
    /// Every combination.
    case grid
    /// `trials` distinct combinations drawn at random (seeded).
    case random(trials: Int)
    /// A genetic search (seeded).
    case genetic(GeneticOptions)

    /// `grid`, `random` or `genetic`.
    public var name: String {
        switch self {
        case .grid: "grid"
        case .random: "random"
        case .genetic: "genetic"
        }
    }
}

/// Settings of a genetic search: a population evolved by tournament selection, uniform
/// crossover, mutation and elitism, stopped early when the best has not improved for
/// `patience` generations.
public struct GeneticOptions: Sendable, Equatable, Codable {
    /// Individuals per generation.
    public var population: Int
    /// Most generations (the first, random, included).
    public var generations: Int
    /// Individuals drawn per tournament; the fittest becomes a parent.
    public var tournament: Int
    /// Probability that two parents are crossed (else the child copies the first).
    public var crossover: Double
    /// Probability that a gene mutates; nil: 1 / number of parameters.
    public var mutation: Double?
    /// The best individuals copied unchanged into the next generation.
    public var elites: Int
    /// Generations without a better best before the search stops.
    public var patience: Int

    /// Creates options.
    public init(population: Int = 40, generations: Int = 20, tournament: Int = 3, crossover: Double = 0.9,
                mutation: Double? = nil, elites: Int = 2, patience: Int = 5) {
        self.population = population
        self.generations = generations
        self.tournament = tournament
        self.crossover = crossover
        self.mutation = mutation
        self.elites = elites
        self.patience = patience
    }

    /// Checks the settings.
    /// - Throws: ``OptimizeError`` naming the one out of range.
    public func validate() throws(OptimizeError) {
        guard (2...100_000).contains(population) else { throw OptimizeError("--population must be 2 to 100000, was \(population)") }
        guard (1...100_000).contains(generations) else { throw OptimizeError("--generations must be 1 to 100000, was \(generations)") }
        guard tournament >= 1, (0...1).contains(crossover), (mutation ?? 0) >= 0, (mutation ?? 0) <= 1,
              (0..<population).contains(elites), patience >= 1 else {
            throw OptimizeError("genetic options out of range: tournament >= 1, crossover and mutation in 0...1, elites below the population, patience >= 1")
        }
    }
}
