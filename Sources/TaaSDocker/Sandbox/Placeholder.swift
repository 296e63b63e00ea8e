import TaaSCore
